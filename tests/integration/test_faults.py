#!/usr/bin/env python3
"""Fault injection: every write-like call that `rtcascade run` makes on its results file and
journal is made to fail in turn (tests/fault/rc_fault.c, an LD_PRELOAD shim), once as a full
disk (ENOSPC from that call on, for every write that would grow a file: a full disk still lets
existing bytes be overwritten) and once as a transient I/O error (EIO at that call only).

At every failure point:
- `rtcascade run` exits 5 with a message naming the reason (never a crash: no signal, no 139);
- the results file, when there is one, opens with h5py, and every point it marks done holds
  exactly the rows of the uninterrupted run (a point is marked done only once written);
- `rtcascade run --resume` (the fault gone, as after freeing space) exits 0 and the file then
  equals the uninterrupted run's, dataset for dataset (from the journal where the file lacked
  points).

usage: test_faults.py RTCASCADE SHIM.so [--quick]"""
import os
import shutil
import subprocess
import sys
import tempfile

import h5py
import numpy as np

from rcitest import check, compare_files, finish

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIG = os.path.join(HERE, "faults.yaml")


def run(exe, args, env=None):
    return subprocess.run([exe, "run", CONFIG, "--quiet", "--threads", "1"] + args,
                          capture_output=True, text=True, timeout=120, env=env)


def shim_env(shim, match, at, errno_name, sticky, log=None):
    env = dict(os.environ)
    env["LD_PRELOAD"] = shim
    env["RC_FAULT_MATCH"] = match
    env["RC_FAULT_AT"] = str(at)
    env["RC_FAULT_ERRNO"] = errno_name
    env["RC_FAULT_STICKY"] = "1" if sticky else "0"
    # a sanitizer build's runtime is not first in the preload list then
    env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0"
    if log:
        env["RC_FAULT_LOG"] = log
    return env


def done_points_match(path, ref):
    """'' when every point marked done in path has the reference's rows, else what differs."""
    with h5py.File(path, "r") as f:
        status = f["points"]["status"][()]
        runs, summary = f["runs"][()], f["summary"][()]
    for p in np.nonzero(status == 1)[0]:
        mine = runs[runs["point"] == p]
        theirs = ref["runs"][ref["runs"]["point"] == p]
        if mine.tobytes() != theirs.tobytes():
            return f"point {p} is marked done but its /runs rows differ"
        ms, ts = summary[summary["point"] == p], ref["summary"][ref["summary"]["point"] == p]
        if len(ms) != 1 or ms.tobytes() != ts.tobytes():
            return f"point {p} is marked done but its /summary row differs"
    return ""


def main():
    exe, shim = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    quick = "--quick" in sys.argv
    tmp = tempfile.mkdtemp(prefix="rc_faults_")
    try:
        ref_path = os.path.join(tmp, "ref.h5")
        p = run(exe, ["-o", ref_path])
        check(p.returncode == 0, f"reference run: exit {p.returncode}: {p.stderr.strip()}")
        with h5py.File(ref_path, "r") as f:
            ref = {"runs": f["runs"][()], "summary": f["summary"][()]}
        work = os.path.join(tmp, "w")
        os.makedirs(work)
        out = os.path.join(work, "out.h5")
        log = os.path.join(tmp, "count.log")
        p = run(exe, ["-o", out], env=shim_env(shim, out, 0, "ENOSPC", False, log))
        check(p.returncode == 0, f"counting run: exit {p.returncode}: {p.stderr.strip()}")
        with open(log) as f:
            n_calls = int(f.read().split()[0])
        check(n_calls > 10, f"only {n_calls} write-like calls counted: is the shim loaded?")
        print(f"{n_calls} write-like calls on {os.path.basename(out)} and its journal")
        for errno_name, sticky in (("ENOSPC", True), ("EIO", False)):
            exits, opened, resumed = {}, 0, 0
            points = range(1, n_calls + 1, 7 if quick else 1)
            for k in points:
                shutil.rmtree(work)
                os.makedirs(work)
                where = f"{errno_name} at call {k}"
                p = run(exe, ["-o", out], env=shim_env(shim, out, k, errno_name, sticky))
                exits[p.returncode] = exits.get(p.returncode, 0) + 1
                err = p.stderr.strip()
                if p.returncode == 0:
                    # the failing call was one whose failure loses nothing: the run must then
                    # be complete and equal to the reference
                    check(compare_files(ref_path, out) == [],
                          f"{where}: exit 0 but the file differs from the reference")
                    continue
                check(p.returncode == 5, f"{where}: exit {p.returncode}, expected 5: {err}")
                check(err.startswith("rtcascade: ") and "Segmentation" not in err,
                      f"{where}: unexpected stderr {err!r}")
                if os.path.exists(out):
                    try:
                        why = done_points_match(out, ref)
                        opened += 1
                        check(why == "", f"{where}: {why}")
                    except Exception as e:  # noqa: BLE001 - any failure to read is the finding
                        check(False, f"{where}: h5py cannot read the file: {e}")
                p = run(exe, ["-o", out, "--resume"])
                ok = check(p.returncode == 0,
                           f"{where}: --resume exit {p.returncode}: {p.stderr.strip()}")
                if ok:
                    diffs = compare_files(ref_path, out)
                    if check(diffs == [], f"{where}: resumed file differs: {diffs[:3]}"):
                        resumed += 1
                left = sorted(os.listdir(work))
                check(left == ["out.h5"], f"{where}: files left after --resume: {left}")
            print(f"{errno_name}{' (sticky)' if sticky else ' (once)'}: {len(points)} failure "
                  f"points; exits {dict(sorted(exits.items()))}; file opened with h5py after "
                  f"{opened} failures; --resume equal to the reference {resumed} times")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return finish("test_faults")


if __name__ == "__main__":
    sys.exit(main())
