#!/usr/bin/env python3
"""Results pinned across changes of the code: every per-run column, the summary metrics and the
curves of every point of tests/golden/g*.yaml (all five models, every seed strategy and audience
pick, grid, zip and per-scenario sweeps, a network from a file) must equal, bit for bit, the
digests in tests/golden/digests.json. Those were computed from files written by rtcascade 0.1.0
(commit f428338), before the library-first redesign; `tests/golden/digest.py FILE` recomputes
them for one file.

Configs alternate between 1 and 2 threads; one is stopped by SIGTERM after its first points and
finished with --resume, which must land on the same digests.

usage: test_golden.py RTCASCADE"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from rcitest import check, exe_from_argv, finish, run

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "..", "golden")
sys.path.insert(0, GOLDEN)
import digest  # noqa: E402

CONFIGS = ["g01_ic_sweeps", "g02_ic_variants", "g03_threshold", "g04_timed", "g05_audience",
           "g06_file"]
RESUMED = "g05_audience"


def check_digests(path, name, ref):
    problems = digest.compare(digest.digests(path), ref[name])
    check(problems == [], f"{name}: " + "; ".join(problems[:10]))
    return not problems


def points_done(path):
    import h5py
    try:
        with h5py.File(path, "r") as f:
            return len(f["summary"])
    except Exception:
        return -1


def stopped_and_resumed(exe, tmp, ref):
    """SIGTERM once the file holds a point, then --resume: the digests must not change."""
    cfg = os.path.join(GOLDEN, RESUMED + ".yaml")
    out = os.path.join(tmp, RESUMED + "_resumed.h5")
    proc = subprocess.Popen([exe, "run", cfg, "-o", out, "--quiet", "--threads", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while proc.poll() is None and time.time() < deadline:
        if os.path.exists(out) and points_done(out) >= 1:
            proc.send_signal(signal.SIGTERM)
            break
        time.sleep(0.005)
    proc.communicate()
    print(f"{RESUMED}: stopped with exit {proc.returncode} after {points_done(out)} points")
    check(proc.returncode in (0, 8), f"{RESUMED}: SIGTERM exit {proc.returncode}")
    p = run(exe, [cfg, "-o", out, "--resume", "--quiet", "--threads", "2"])
    if check(p.returncode == 0, f"{RESUMED} --resume: exit {p.returncode}: {p.stderr}"):
        if check_digests(out, RESUMED, ref):
            print(f"{RESUMED}: stopped and resumed, digests equal")


def main():
    exe = exe_from_argv()
    ref = json.load(open(os.path.join(GOLDEN, "digests.json")))
    os.environ["HDF5_USE_FILE_LOCKING"] = "FALSE"
    tmp = tempfile.mkdtemp(prefix="rc_golden_")
    try:
        for i, name in enumerate(CONFIGS):
            out = os.path.join(tmp, name + ".h5")
            threads = "1" if i % 2 == 0 else "2"
            p = run(exe, [os.path.join(GOLDEN, name + ".yaml"), "-o", out, "--quiet",
                          "--threads", threads])
            if check(p.returncode == 0, f"{name}: exit {p.returncode}: {p.stderr}"):
                if check_digests(out, name, ref):
                    print(f"{name}: {len(ref[name])} points equal ({threads} thread(s))")
        stopped_and_resumed(exe, tmp, ref)
    finally:
        if not os.environ.get("RC_KEEP_TMP"):
            shutil.rmtree(tmp, ignore_errors=True)
    return finish("test_golden")


if __name__ == "__main__":
    sys.exit(main())
