#!/usr/bin/env python3
"""Interrupt and resume (tests/integration/resume.yaml, 12 points of increasing cost):

1. an uninterrupted reference run;
2. kill -9 once at least 4 points are in the file (at a moment the process does not hold the
   file open, i.e. while it computes): the partial file opens with h5py and holds the finished
   points exactly as the reference has them; `--resume` finishes it; every dataset then equals
   the reference's (provenance attributes aside);
3. SIGTERM mid-run: exit 8, a message saying how many points are complete and the command that
   finishes the run; running that command finishes it, again equal to the reference.

usage: test_resume.py RTCASCADE"""
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

from rcitest import check, compare_files, exe_from_argv, finish, run

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIG = os.path.join(HERE, "resume.yaml")
N_POINTS = 12
KILL_AFTER = 4  # points 0-3 are quick, later ones take a noticeable time
os.environ["HDF5_USE_FILE_LOCKING"] = "FALSE"  # we read while the writer is between points


def holds_open(pid, path):
    """True when process pid has path (or a temporary beside it) open."""
    real = os.path.realpath(path)
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for fd in fds:
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith(real) and not target.endswith(".journal"):
            return True
    return False


def points_in_file(path):
    """Rows of /summary (one per finished point), or -1 when it cannot be read right now."""
    try:
        with h5py.File(path, "r") as f:
            return len(f["summary"])
    except Exception:
        return -1


def wait_for_points(proc, path, k, deadline):
    """Polls until the file holds >= k points while the process is computing, not writing."""
    while time.time() < deadline and proc.poll() is None:
        if os.path.exists(path) and not holds_open(proc.pid, path):
            n = points_in_file(path)
            if n >= k and not holds_open(proc.pid, path):
                return n
        time.sleep(0.01)
    return None


def runs_of(path, points):
    with h5py.File(path, "r") as f:
        r = f["runs"][()]
    return r[np.isin(r["point"], list(points))]


def main():
    exe = exe_from_argv()
    tmp = tempfile.mkdtemp(prefix="rc_resume_")
    try:
        ref = os.path.join(tmp, "ref.h5")
        t0 = time.time()
        p = run(exe, [CONFIG, "-o", ref, "--quiet"])
        print(f"reference run: {time.time() - t0:.2f} s")
        if not check(p.returncode == 0, f"reference run: exit {p.returncode}: {p.stderr}"):
            return finish("test_resume")

        # --- kill -9 between points, then --resume ---
        out = os.path.join(tmp, "killed.h5")
        proc = subprocess.Popen([exe, "run", CONFIG, "-o", out, "--quiet"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        n = wait_for_points(proc, out, KILL_AFTER, time.time() + 60)
        if proc.poll() is None and n is not None:
            proc.send_signal(signal.SIGKILL)
        proc.communicate()
        check(n is not None and proc.returncode == -signal.SIGKILL,
              f"killed after {n} points (exit {proc.returncode}); the run must still be going "
              f"after {KILL_AFTER} points for this test to mean anything")
        if n is not None:
            with h5py.File(out, "r") as f:
                done = sorted(set(f["summary"]["point"].tolist()))
                check(len(f["summary"]) == len(done) >= KILL_AFTER,
                      f"partial file holds {len(done)} distinct finished points")
            a, b = runs_of(out, done), runs_of(ref, done)
            check(a.tobytes() == b.tobytes(), "finished points' runs equal the reference's")
            check(os.path.exists(out + ".journal"), "the journal is kept for --resume")
            print(f"kill -9 after {len(done)} points: partial file opens and holds them")
            p = run(exe, [CONFIG, "-o", out, "--resume", "--quiet"])
            check(p.returncode == 0, f"--resume: exit {p.returncode}: {p.stderr}")
            d = compare_files(ref, out)
            check(d == [], "resumed file differs from the reference: " + "; ".join(d))
            check(not os.path.exists(out + ".journal"), "journal removed once complete")
            p = run(exe, [CONFIG, "-o", out, "--resume", "--quiet"])
            check(p.returncode == 0, f"--resume of a complete file: exit {p.returncode}")
            check(compare_files(ref, out) == [], "a second --resume changes nothing")

        # --- SIGTERM: clean stop with exit 8, then the command it prints ---
        out = os.path.join(tmp, "term.h5")
        proc = subprocess.Popen([exe, "run", CONFIG, "-o", out], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        n = wait_for_points(proc, out, 2, time.time() + 60)
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate()
        print("SIGTERM stderr: " + err.strip())
        check(proc.returncode == 8, f"SIGTERM: exit {proc.returncode}, expected 8")
        check("points are complete" in err and "--resume" in err,
              "the message says what is complete and how to resume")
        with h5py.File(out, "r") as f:
            k = len(f["summary"])
            check(2 <= k < N_POINTS, f"stopped file holds {k} points")
        cmd = err.strip().splitlines()[-1].split("to finish, run: ", 1)
        if check(len(cmd) == 2, "the message gives the command to finish"):
            argv = shlex.split(cmd[1])
            check(argv[0] == "rtcascade" and "--resume" in argv, f"resume command {argv}")
            p = subprocess.run([exe] + argv[1:] + ["--quiet"], capture_output=True, text=True,
                               timeout=120)
            check(p.returncode == 0, f"the printed command: exit {p.returncode}: {p.stderr}")
            d = compare_files(ref, out)
            check(d == [], "file finished after SIGTERM differs: " + "; ".join(d))
    finally:
        if not os.environ.get("RC_KEEP_TMP"):
            shutil.rmtree(tmp, ignore_errors=True)
    return finish("test_resume")


if __name__ == "__main__":
    sys.exit(main())
