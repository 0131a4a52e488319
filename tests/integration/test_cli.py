#!/usr/bin/env python3
"""The command line as a user on a cluster meets it (issue "What researchers tripped over"):

- `rtcascade` with no arguments prints help and what `rtcascade run` would do, and starts
  nothing (no results folder appears);
- a run whose stderr is not a terminal (a batch job's log) prints plain progress lines while it
  runs; --progress none prints none, --progress lines forces them, a bad mode is refused;
- `run` and `graph` wait passively for work (OMP_WAIT_POLICY=passive) unless the user set the
  variable; -v tells how many runs a follower read served when points ran fused;
- options: --output= and -- work for run and graph; --version;
- hawkes with follower distributions is not cut at the size of a network it does not use (on a
  50-account star with n* = 0.9 the mean stays at 1/(1 - n*) - 1 = 9 retweets), more than 1%
  of runs at the size cap prints a warning, and a max_size above the network with followers:
  network is refused before any file is made.

usage: test_cli.py RTCASCADE"""
import math
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
        check("fused kernel" not in p.stderr, "-v: no fused line for per_run points")
        fused = os.path.join(tmp, "fused.yaml")
        with open(fused, "w") as f:
            f.write("name: fused\nseed: 1\nruns: 128\n"
                    "network: {generator: erdos_renyi, nodes: 2000, mean_degree: 10}\n"
                    "model: {name: independent_cascade, p: 0.3}\n"
                    "seeds: {strategy: random, count: 1}\nengine: {kernel: fused}\n")
        p = run(exe, ["run", fused, "-o", out, "--force", "--quiet", "-v"], tmp)
        check(p.returncode == 0 and "fused kernel on " in p.stderr and
              "runs served per read of a node's followers" in p.stderr,
              f"-v with fused points: how many runs a read served: {p.stderr[-400:]!r}")
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
        hawkes(exe, tmp)
    return finish("test_cli")


def hawkes(exe, tmp):
    import h5py
    cfg = os.path.join(tmp, "hk.yaml")
    with open(cfg, "w") as f:
        f.write("name: hk\nseed: 5\nruns: 4000\nnetwork: {generator: star, nodes: 50}\n"
                "model: {name: hawkes, kappa: 0.9, beta: 0.0, max_size: 5000}\n"
                "seeds: {strategy: list, nodes: [0]}\n")
    out = os.path.join(tmp, "hk.h5")
    p = run(exe, ["run", cfg, "-o", out, "--quiet"], tmp)
    if check(p.returncode == 0, f"hawkes on a star: {p.stderr}"):
        with h5py.File(out) as f:
            s = f["summary"][0]
        z = (s["retweets_mean"] - 9.0) / s["retweets_se"]
        check(abs(z) < 5 and s["p_capped"] < 0.01,
              f"hawkes with a distribution beyond the network's size: mean {s['retweets_mean']:.3f}"
              f" +- {s['retweets_se']:.3f} (9 expected), capped {s['p_capped']}")
        check("warning" not in p.stderr, "no capped warning below 1%")
    p = run(exe, ["run", cfg, "-o", out, "--force", "--quiet", "--set", "model.max_size=20"], tmp)
    check(p.returncode == 0 and "warning: 1 point had more than 1% of their runs stopped at a "
          "size cap" in p.stderr, f"capped warning: {p.stderr!r}")
    bad = os.path.join(tmp, "bad.h5")
    p = run(exe, ["run", cfg, "-o", bad, "--set", "model.followers=network"], tmp)
    check(p.returncode == 3 and "model.max_size: 5000 is more than the network's 50 accounts"
          in p.stderr and not os.path.exists(bad) and not os.path.exists(bad + ".journal"),
          f"max_size above the network with network marks refused, no file: {p.stderr!r}")


if __name__ == "__main__":
    sys.exit(main())
