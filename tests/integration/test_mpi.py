#!/usr/bin/env python3
"""`rtcascade run` under MPI (a build with RC_WITH_MPI), against a reference made by one process:
the non-MPI build when its path is given, else this binary without mpirun. Files are compared
dataset by dataset and attribute by attribute, provenance aside (rcitest.compare_files).

1. tests/integration/mpi.yaml (one seed, an audience, a timed model; two networks) on 1, 2 and 3
   ranks, on 2 ranks of 2 threads, and with 2 runs per point on 3 ranks (units are then whole
   points): equal files; engine.kernel: auto picks the same kernels on 3 ranks as in one
   process (its pilot does not depend on the blocks), and the files are equal;
2. --dry-run on 2 ranks prints once; an error before any work (the output exists) is one line
   with its exit status and no MPI abort;
3. SIGTERM to rank 0 of 3 mid-run (resume.yaml): exit 8, the points begun are finished, so the
   file holds the first points, equal to the reference's; --resume on 2 ranks finishes it equal;
4. rank 1 runs in a folder without the edge list of the second network: with one network per
   node (the default) only rank 0 reads it and the file equals the reference; with
   RC_MPI_SHARE=0 (every rank its own copy) rank 1 fails: one line from rank 0 naming rank 1 and
   the file, the first network's points stay in the file, and --resume on 2 ranks (the file now
   everywhere) finishes it equal to the reference.

Ranks are oversubscribed (this may run on 2 cores) with one OpenMP thread each.
usage: test_mpi.py RTCASCADE MPIEXEC [REFERENCE_RTCASCADE]"""
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

from rcitest import PROVENANCE_ATTRS, check, compare_files, finish

HERE = os.path.dirname(os.path.abspath(__file__))
SWEEP = os.path.join(HERE, "mpi.yaml")
RESUME = os.path.join(HERE, "resume.yaml")  # 12 points of increasing cost, one network

ENV = dict(os.environ, OMP_NUM_THREADS="1", HDF5_USE_FILE_LOCKING="FALSE")
# Open MPI in containers: no cross-memory attach (needs ptrace), shared memory between ranks.
ENV.setdefault("OMPI_MCA_btl_vader_single_copy_mechanism", "none")
ENV.setdefault("OMPI_MCA_btl", "self,vader")

# Attributes left out of comparisons: provenance, and the build's commit when the reference is
# another build (configured at another time).
IGNORE = [PROVENANCE_ATTRS]

FAILING_CONFIG = """name: itest_mpi_fail
seed: 5
runs: 300
model: {name: independent_cascade, p: 0.2}
scenarios:
  generated: {network: {generator: erdos_renyi, nodes: 3000, mean_degree: 4}}
  from_file: {network: {generator: file, path: follows.edges, direction: flows}}
sweep:
  model.p: [0.1, 0.2, 0.3]
"""


class Mpi:
    def __init__(self, exe, mpiexec):
        self.exe = exe
        self.mpiexec = mpiexec
        p = subprocess.run([mpiexec, "--version"], capture_output=True, text=True)
        self.openmpi = "Open MPI" in p.stdout + p.stderr or "OpenRTE" in p.stdout + p.stderr
        self.flags = []
        if self.openmpi:
            self.flags.append("--oversubscribe")
            if os.geteuid() == 0:
                self.flags.append("--allow-run-as-root")

    def argv(self, n, args, wdir=None):
        a = ["-np", str(n)]
        if wdir is not None:
            a += ["--wdir" if self.openmpi else "-wdir", wdir]
        return a + [self.exe, "run"] + list(args)

    def cmd(self, n, args):
        return [self.mpiexec] + self.flags + self.argv(n, args)

    def run(self, n, args, cwd=None):
        return subprocess.run(self.cmd(n, args), cwd=cwd, env=ENV, capture_output=True,
                              text=True, timeout=180)


def one(exe, args, cwd=None):
    return subprocess.run([exe, "run"] + list(args), cwd=cwd, env=ENV, capture_output=True,
                          text=True, timeout=180)


def points_of(path):
    with h5py.File(path, "r") as f:
        return sorted(f["summary"]["point"].tolist())


def runs_of(path, points):
    with h5py.File(path, "r") as f:
        r = f["runs"][()]
    return r[np.isin(r["point"], list(points))]


def same_points(path, ref, what):
    """The points in path (a partial file) hold exactly the reference's runs and summary rows."""
    done = points_of(path)
    check(runs_of(path, done).tobytes() == runs_of(ref, done).tobytes(),
          f"{what}: the finished points' runs equal the reference's")
    with h5py.File(path, "r") as f, h5py.File(ref, "r") as g:
        a = f["summary"][()]
        b = g["summary"][()]
        check(a.tobytes() == b[np.isin(b["point"], done)].tobytes(),
              f"{what}: the finished points' summaries equal the reference's")
    return done


def descendants_rank0(root_pid):
    """pid of the rank-0 process started (at any depth) by root_pid, or None."""
    parent = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    parent[int(d)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    for pid in parent:
        p, seen = pid, 0
        while p in parent and p != root_pid and seen < 64:
            p, seen = parent[p], seen + 1
        if p != root_pid or pid == root_pid:
            continue
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                env = f.read().split(b"\0")
        except OSError:
            continue
        if b"OMPI_COMM_WORLD_RANK=0" in env or b"PMI_RANK=0" in env or b"PMIX_RANK=0" in env:
            return pid
    return None


def points_in_file(path):
    try:
        with h5py.File(path, "r") as f:
            return len(f["summary"])
    except Exception:
        return -1


def equal_files(mpi, ref_exe, tmp):
    ref = os.path.join(tmp, "sweep_ref.h5")
    p = one(ref_exe, [SWEEP, "-o", ref, "--quiet"])
    if not check(p.returncode == 0, f"reference run: exit {p.returncode}: {p.stderr}"):
        return
    for n in (1, 2, 3):
        out = os.path.join(tmp, f"sweep_np{n}.h5")
        t0 = time.time()
        p = mpi.run(n, [SWEEP, "-o", out, "--quiet"])
        print(f"{n} rank(s): exit {p.returncode}, {time.time() - t0:.2f} s")
        if check(p.returncode == 0, f"{n} ranks: exit {p.returncode}: {p.stderr}"):
            d = compare_files(ref, out, IGNORE[0])
            check(d == [], f"{n} ranks: file differs from the reference: " + "; ".join(d))
    # OpenMP threads inside the ranks (rank 0's compute thread takes --threads too).
    out = os.path.join(tmp, "sweep_np2_t2.h5")
    p = mpi.run(2, [SWEEP, "-o", out, "--quiet", "--threads", "2"])
    if check(p.returncode == 0, f"2 ranks x 2 threads: exit {p.returncode}: {p.stderr}"):
        d = compare_files(ref, out, IGNORE[0])
        check(d == [], "2 ranks x 2 threads: file differs from the reference: " + "; ".join(d))
    # Two runs per point: a unit is a whole point and several points run at once.
    ref2, out2 = os.path.join(tmp, "tiny_ref.h5"), os.path.join(tmp, "tiny_np3.h5")
    p = one(ref_exe, [SWEEP, "-o", ref2, "--quiet", "--set", "runs=2"])
    check(p.returncode == 0, f"reference, 2 runs per point: exit {p.returncode}: {p.stderr}")
    p = mpi.run(3, [SWEEP, "-o", out2, "--quiet", "--set", "runs=2"])
    if check(p.returncode == 0, f"3 ranks, 2 runs per point: exit {p.returncode}: {p.stderr}"):
        d = compare_files(ref2, out2, IGNORE[0])
        check(d == [], "3 ranks, 2 runs per point: file differs: " + "; ".join(d))


AUTO = """name: auto
seed: 7
runs: 1024
network: {generator: erdos_renyi, nodes: 3000, mean_degree: 10, seed: 1}
model: {name: independent_cascade, p: 0.4}
seeds: {strategy: random, count: 1}
sweep:
  model.p: [0.05, 0.12, 0.4]
"""


def auto_kernel(mpi, ref_exe, tmp):
    """engine.kernel: auto's pilot picks the same kernels on 3 ranks (blocks of runs) as in one
    process: fused at p = 0.4, per_run below; the files are equal."""
    cfg = os.path.join(tmp, "auto.yaml")
    with open(cfg, "w") as f:
        f.write(AUTO)
    ref, out = os.path.join(tmp, "auto_ref.h5"), os.path.join(tmp, "auto_np3.h5")
    p = one(ref_exe, [cfg, "-o", ref, "--quiet"])
    if not check(p.returncode == 0, f"auto, reference: exit {p.returncode}: {p.stderr}"):
        return
    p = mpi.run(3, [cfg, "-o", out, "--quiet"])
    if check(p.returncode == 0, f"auto, 3 ranks: exit {p.returncode}: {p.stderr}"):
        with h5py.File(out, "r") as f:
            kernels = [k.decode() for k in f["summary"]["kernel"]]
        check(kernels == ["per_run", "per_run", "fused"], f"auto on 3 ranks picked {kernels}")
        d = compare_files(ref, out, IGNORE[0])
        check(d == [], "auto, 3 ranks: file differs from the reference: " + "; ".join(d))


def before_work(mpi, tmp):
    p = mpi.run(2, [SWEEP, "--dry-run"])
    check(p.returncode == 0 and p.stdout.count("total runs:") == 1,
          f"--dry-run on 2 ranks prints once (exit {p.returncode}): {p.stdout!r} {p.stderr}")
    out = os.path.join(tmp, "sweep_np2.h5")  # exists from equal_files
    p = mpi.run(2, [SWEEP, "-o", out, "--quiet"])
    lines = [ln for ln in p.stderr.splitlines() if ln.startswith("rtcascade:")]
    check(p.returncode == 2 and len(lines) == 1 and "exists" in lines[0]
          and "MPI_ABORT" not in p.stderr,
          f"existing output on 2 ranks: exit {p.returncode}, one line: {p.stderr!r}")


def sigterm_and_resume(mpi, ref_exe, tmp):
    ref = os.path.join(tmp, "resume_ref.h5")
    p = one(ref_exe, [RESUME, "-o", ref, "--quiet"])
    if not check(p.returncode == 0, f"reference run: exit {p.returncode}: {p.stderr}"):
        return
    out = os.path.join(tmp, "term.h5")
    proc = subprocess.Popen(mpi.cmd(3, [RESUME, "-o", out]), env=ENV, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline, n, pid = time.time() + 60, -1, None
    while time.time() < deadline and proc.poll() is None:
        n = points_in_file(out) if os.path.exists(out) else -1
        if n >= 2:
            pid = descendants_rank0(proc.pid)
            break
        time.sleep(0.01)
    if pid is not None and proc.poll() is None:
        os.kill(pid, signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    first = err.strip().splitlines()[0] if err.strip() else ""
    print(f"SIGTERM to rank 0 after {n} points: exit {proc.returncode}: {first}")
    if not check(pid is not None and proc.returncode == 8,
                 f"SIGTERM to rank 0 (pid {pid}) after {n} points: exit {proc.returncode}, "
                 f"expected 8 (the run must still be going after 2 points): {err}"):
        return
    check("points are complete" in err and "--resume" in err,
          "the message says what is complete and how to resume")
    done = same_points(out, ref, "stopped on 3 ranks")
    check(2 <= len(done) < 12 and done == list(range(len(done))),
          f"the stopped file holds the first points: {done}")
    p = mpi.run(2, [RESUME, "-o", out, "--resume", "--quiet"])
    check(p.returncode == 0, f"--resume on 2 ranks: exit {p.returncode}: {p.stderr}")
    d = compare_files(ref, out, IGNORE[0])
    check(d == [], "resumed on 2 ranks, the file differs from the reference: " + "; ".join(d))


def failing_rank(mpi, ref_exe, tmp):
    a, b = os.path.join(tmp, "A"), os.path.join(tmp, "B")
    os.makedirs(a)
    os.makedirs(b)
    rng = random.Random(3)
    with open(os.path.join(a, "follows.edges"), "w") as f:
        for _ in range(3000):
            f.write(f"{rng.randrange(500)} {rng.randrange(500)}\n")
    for d in (a, b):
        with open(os.path.join(d, "fail.yaml"), "w") as f:
            f.write(FAILING_CONFIG)
    p = one(ref_exe, ["fail.yaml", "-o", "ref.h5", "--quiet"], cwd=a)
    if not check(p.returncode == 0, f"reference run: exit {p.returncode}: {p.stderr}"):
        return
    args = ["fail.yaml", "-o", "out.h5", "--quiet"]
    cmd = [mpi.mpiexec] + mpi.flags + mpi.argv(1, args, a) + [":"] + mpi.argv(1, args, b)
    # One network per node: only the node's first rank (rank 0) reads the edge list, so rank 1
    # does not miss it, and the file equals the reference.
    p = subprocess.run(cmd, env=ENV, capture_output=True, text=True, timeout=180)
    if check(p.returncode == 0, f"shared network, rank 1 without the file: exit {p.returncode}: "
             f"{p.stderr}"):
        d = compare_files(os.path.join(a, "ref.h5"), os.path.join(a, "out.h5"), IGNORE[0])
        check(d == [], "shared network: the file differs from the reference: " + "; ".join(d))
    os.unlink(os.path.join(a, "out.h5"))
    # Every rank its own copy (RC_MPI_SHARE=0): rank 1 misses the file and fails.
    p = subprocess.run(cmd, env=dict(ENV, RC_MPI_SHARE="0"), capture_output=True, text=True,
                       timeout=180)
    lines = [ln for ln in p.stderr.splitlines() if ln.startswith("rtcascade:")]
    print("failing rank: exit %d, %s" % (p.returncode, lines[0] if lines else p.stderr))
    check(p.returncode not in (0, 8), f"a failing rank: exit {p.returncode}")
    check(len(lines) >= 1 and "rank 1 (" in lines[0] and "follows.edges" in lines[0],
          f"the first line names rank 1 and the missing file: {lines}")
    check(sum("follows.edges" in ln for ln in lines) == 1, f"said once: {lines}")
    out = os.path.join(a, "out.h5")
    if not check(os.path.exists(out), "the results file is kept"):
        return
    done = same_points(out, os.path.join(a, "ref.h5"), "after a failing rank")
    check(done == [0, 1, 2] or done[:3] == [0, 1, 2],
          f"the first network's points stay in the file: {done}")
    p = mpi.run(2, args + ["--resume"], cwd=a)
    check(p.returncode == 0, f"--resume on 2 ranks: exit {p.returncode}: {p.stderr}")
    d = compare_files(os.path.join(a, "ref.h5"), out, IGNORE[0])
    check(d == [], "resumed after a failing rank, the file differs: " + "; ".join(d))


def main():
    if len(sys.argv) < 3:
        sys.exit(f"usage: {sys.argv[0]} RTCASCADE MPIEXEC [REFERENCE_RTCASCADE]")
    exe = os.path.abspath(sys.argv[1])
    ref_exe = os.path.abspath(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3] else exe
    print(f"reference: {ref_exe}" + (" (without mpirun)" if ref_exe == exe else ""))
    if ref_exe != exe:
        IGNORE[0] = PROVENANCE_ATTRS | {"git_commit"}
    mpi = Mpi(exe, sys.argv[2])
    tmp = tempfile.mkdtemp(prefix="rc_mpi_")
    try:
        equal_files(mpi, ref_exe, tmp)
        auto_kernel(mpi, ref_exe, tmp)
        before_work(mpi, tmp)
        sigterm_and_resume(mpi, ref_exe, tmp)
        failing_rank(mpi, ref_exe, tmp)
    finally:
        if not os.environ.get("RC_KEEP_TMP"):
            shutil.rmtree(tmp, ignore_errors=True)
    return finish("test_mpi")


if __name__ == "__main__":
    sys.exit(main())
