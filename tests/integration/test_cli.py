#!/usr/bin/env python3
"""The command line as a user on a cluster meets it (issue "What researchers tripped over"):

- `rtcascade` with no arguments prints help and what `rtcascade run` would do, and starts
  nothing (no results folder appears);
- a run whose stderr is not a terminal (a batch job's log) prints plain progress lines while it
  runs; --progress none prints none, --progress lines forces them, a bad mode is refused;
- `run` and `graph` wait passively for work (OMP_WAIT_POLICY=passive) unless the user set the
  variable;
- options: --output= and -- work for run and graph; --version.

usage: test_cli.py RTCASCADE"""
import os
import subprocess
import sys
import tempfile

from rcitest import check, exe_from_argv, finish

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIG = os.path.join(HERE, "..", "golden", "g05_audience.yaml")


def run(exe, args, cwd, env=None):
    e = dict(os.environ)
    e.pop("OMP_WAIT_POLICY", None)
    e.update(env or {})
    return subprocess.run([exe] + args, cwd=cwd, env=e, capture_output=True, text=True,
                          timeout=120)


def main():
    exe = exe_from_argv()
    with tempfile.TemporaryDirectory(prefix="rc_cli_") as tmp:
        p = run(exe, [], tmp)
        check(p.returncode == 0, f"no arguments: exit {p.returncode}")
        check("usage: rtcascade <command>" in p.stdout and "'rtcascade run' with no config"
              in p.stdout and "points x 500 runs" in p.stdout,
              f"no arguments: help and the default study described: {p.stdout[-300:]!r}")
        check(not os.path.exists(os.path.join(tmp, "results")), "no arguments: nothing run")

        out = os.path.join(tmp, "a.h5")
        p = run(exe, ["run", CONFIG, "--output=" + out], tmp, {"RC_PROGRESS_INTERVAL": "0.01"})
        lines = [l for l in p.stderr.splitlines() if " points, " in l and "runs/s" in l]
        check(p.returncode == 0 and len(lines) >= 2,
              f"progress lines in a log: exit {p.returncode}, {len(lines)} lines: {p.stderr!r}")
        p = run(exe, ["run", CONFIG, "-o", out, "--force", "--progress", "none"], tmp,
                {"RC_PROGRESS_INTERVAL": "0.01"})
        check(p.returncode == 0 and "runs/s" not in p.stderr, "--progress none: no lines")
        p = run(exe, ["run", CONFIG, "-o", out, "--force", "--progress", "sometimes"], tmp)
        check(p.returncode == 2 and "--progress: expected auto, bar, lines or none" in p.stderr,
              f"bad --progress refused: {p.stderr!r}")

        p = run(exe, ["run", "-o", out, "--force", "--quiet", "-v", "--", CONFIG], tmp)
        check(p.returncode == 0 and "OMP_WAIT_POLICY=passive" in p.stderr,
              f"passive waiting by default, and -- before the config: {p.stderr[-200:]!r}")
        p = run(exe, ["run", CONFIG, "-o", out, "--force", "--quiet", "-v"], tmp,
                {"OMP_WAIT_POLICY": "active"})
        check(p.returncode == 0 and "OMP_WAIT_POLICY=active" in p.stderr,
              "the user's OMP_WAIT_POLICY is kept")

        g = os.path.join(tmp, "g.h5")
        p = run(exe, ["graph", "--set", "network.generator=star", "--set", "network.nodes=7",
                      "--output=" + g], tmp)
        check(p.returncode == 0 and os.path.exists(g), f"graph --output=: {p.stderr!r}")
        p = run(exe, ["--version"], tmp)
        check(p.returncode == 0 and p.stdout.startswith("rtcascade "), "--version")
    return finish("test_cli")


if __name__ == "__main__":
    sys.exit(main())
