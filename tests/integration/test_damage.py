#!/usr/bin/env python3
"""Damaged results files never crash or hang rtcascade, and damaged data is never accepted.

A complete file and an interrupted one (its last point failed to write, so its journal holds
every point) are damaged in turn: one byte flipped at offsets spread over the file and at every
HDF5 structure found in it (superblock, object headers, heaps, B-trees, chunk indexes; 8 bytes
set at signature + 24, the global-heap field that crashed format 1). For each copy:
- `rtcascade info` exits 0 or 4 (one line) within 10 s;
- `rtcascade run --resume` exits 0 or 4 (one line) within 30 s; when it exits 0, the file
  equals the uninterrupted run's (nothing damaged was kept), down to the bytes of its /runs
  chunks; from the interrupted file with its journal, damaged points are rebuilt from the
  journal (whose copies of the chunks are written as they are).
A network cache (graph file) is damaged the same way: `rtcascade graph` with that cache exits 0
within 30 s and prints the statistics of the intact network (a damaged cache is rebuilt).

usage: test_damage.py RTCASCADE SHIM.so"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

from rcitest import check, compare_files, finish

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIG = os.path.join(HERE, "damage.yaml")
SIGNATURES = [b"\x89HDF", b"OHDR", b"OCHK", b"FRHP", b"FHDB", b"FHIB", b"BTHD", b"BTIN", b"BTLF",
              b"EAHD", b"EAIB", b"EASB", b"EADB", b"FAHD", b"FADB", b"GCOL", b"TREE", b"HEAP",
              b"SNOD", b"FSHD", b"FSSE", b"SMTB", b"SMLI"]


# In sanitizer builds: HDF5 1.10 leaks on some error paths while it reads a damaged file; those
# leaks are inside libhdf5, not rtcascade's (tests/fuzz/lsan.supp).
os.environ.setdefault("LSAN_OPTIONS", "suppressions=" + os.path.join(
    HERE, "..", "fuzz", "lsan.supp") + ":print_suppressions=0")


def rtc(exe, args, timeout, env=None):
    try:
        return subprocess.run([exe] + args, capture_output=True, text=True, timeout=timeout,
                              env=env)
    except subprocess.TimeoutExpired:
        return None


def damage_sites(data):
    """(offset, bytes to write) pairs: flips over the file, and at each structure found."""
    sites = []
    step = max(1, len(data) // 60)
    for off in range(0, len(data), step):
        sites.append((off, bytes([data[off] ^ 0xFF])))
    for sig in SIGNATURES:
        for m in re.finditer(re.escape(sig), data):
            for delta in (5, 9, 13):
                if m.start() + delta < len(data):
                    sites.append((m.start() + delta, bytes([data[m.start() + delta] ^ 0x5A])))
            if m.start() + 32 <= len(data):
                sites.append((m.start() + 24, b"\xff" * 8))
    return sorted(set(sites))


def runs_chunks(path):
    """The stored bytes of every /runs chunk, in row order."""
    import h5py
    with h5py.File(path, "r") as f:
        d = f["runs"]
        step = d.chunks[0]
        return [d.id.read_direct_chunk((r,))[1] for r in range(0, d.shape[0], step)]


def one_line(p):
    err = p.stderr.strip()
    return len(err.splitlines()) == 1 and err.startswith("rtcascade: ")


def chunk_elsewhere(exe, tmp):
    """A file the fuzzer damaged: /summary's chunk index points at /points' chunk (184 bytes,
    its checksum right) where /summary's chunk needs 3,152, and HDF5 1.10 read 3,152 bytes out of
    its 184-byte buffer (garbage without a sanitizer). rtcascade info and --resume refuse it in
    one line naming /summary; so does rtcascade.load, which still loads intact files of the
    older filter order."""
    src = os.path.join(HERE, "..", "fuzz", "seeds", "results", "chunk_elsewhere.h5")
    bad = os.path.join(tmp, "elsewhere.h5")
    shutil.copyfile(src, bad)
    p = rtc(exe, ["info", bad], 10)
    check(p is not None and p.returncode == 4 and one_line(p) and "/summary" in p.stderr,
          f"chunk elsewhere: info {p and p.returncode}: {p and p.stderr.strip()[:200]}")
    tree = os.path.join(os.path.dirname(os.path.abspath(exe)), "python")
    code = ("import sys, rtcascade\n"
            "try:\n    rtcascade.load(sys.argv[1]).points\n"
            "except rtcascade.InputError as e:\n    print(e)\n    sys.exit(4)\n")
    p = subprocess.run([sys.executable, "-c", code, bad], capture_output=True, text=True,
                       env=dict(os.environ, PYTHONPATH=tree), timeout=60)
    check(p.returncode == 4 and "cannot read /summary (file damaged?)" in p.stdout,
          f"chunk elsewhere: rtcascade.load {p.returncode}: {(p.stdout + p.stderr)[-300:]}")
    # an intact file whose /runs has the filter order of files written before 2026-11-30 (the
    # checksum inside the deflated stream) still loads
    old = os.path.join(HERE, "..", "fuzz", "seeds", "results", "interrupted.h5")
    code = "import sys, rtcascade\nprint(len(rtcascade.load(sys.argv[1]).runs))\n"
    p = subprocess.run([sys.executable, "-c", code, old], capture_output=True, text=True,
                       env=dict(os.environ, PYTHONPATH=tree), timeout=60)
    check(p.returncode == 0 and p.stdout.strip() == "12",
          f"the older filter order loads: {p.returncode}: {(p.stdout + p.stderr)[-300:]}")


def main():
    exe, shim = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    tmp = tempfile.mkdtemp(prefix="rc_damage_")
    try:
        ref = os.path.join(tmp, "ref.h5")
        p = rtc(exe, ["run", CONFIG, "-o", ref, "--quiet"], 60)
        check(p is not None and p.returncode == 0, "reference run")
        # the interrupted file: EIO at a write of the last point, counted from the end
        part = os.path.join(tmp, "part.h5")
        log = os.path.join(tmp, "count.log")
        env = dict(os.environ, LD_PRELOAD=shim, RC_FAULT_MATCH=part, RC_FAULT_LOG=log,
                   ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0")
        p = rtc(exe, ["run", CONFIG, "-o", part, "--quiet"], 60, env)
        with open(log) as f:
            n_calls = int(f.read().split()[0])
        os.remove(part)
        env["RC_FAULT_AT"], env["RC_FAULT_ERRNO"] = str(n_calls - 6), "EIO"
        p = rtc(exe, ["run", CONFIG, "-o", part, "--quiet"], 60, env)
        check(p is not None and p.returncode == 5 and os.path.exists(part + ".journal"),
              f"interrupted run: {p and p.returncode}: {p and p.stderr.strip()}")
        stats = {}
        for label, src in (("complete", ref), ("interrupted", part)):
            data = open(src, "rb").read()
            journal = open(src + ".journal", "rb").read() if label == "interrupted" else None
            sites = damage_sites(data)
            counts = {"info 0": 0, "info 4": 0, "resume 0": 0, "resume refused": 0}
            for off, patch in sites:
                where = f"{label} file, {len(patch)} byte(s) at {off}"
                bad = os.path.join(tmp, "bad.h5")
                for f in os.listdir(tmp):
                    if f.startswith("bad.h5"):
                        os.remove(os.path.join(tmp, f))
                with open(bad, "wb") as f:
                    f.write(data[:off] + patch + data[off + len(patch):])
                p = rtc(exe, ["info", bad], 10)
                if check(p is not None, f"{where}: info hangs"):
                    ok = p.returncode == 0 or (p.returncode == 4 and one_line(p))
                    check(ok, f"{where}: info exit {p.returncode}: {p.stderr.strip()[:200]}")
                    counts[f"info {p.returncode}"] = counts.get(f"info {p.returncode}", 0) + 1
                if journal is not None:
                    with open(bad + ".journal", "wb") as f:
                        f.write(journal)
                p = rtc(exe, ["run", CONFIG, "-o", bad, "--quiet", "--resume"], 30)
                if not check(p is not None, f"{where}: --resume hangs"):
                    continue
                if p.returncode == 0:
                    try:
                        diffs = compare_files(ref, bad)
                        if runs_chunks(ref) != runs_chunks(bad):
                            diffs.append("/runs: chunks stored differently")
                    except Exception as e:  # noqa: BLE001 - unreadable is the finding
                        diffs = [f"h5py cannot read it: {e}"]
                    check(diffs == [], f"{where}: --resume exit 0 but the file differs: "
                                       f"{diffs[:3]}")
                    counts["resume 0"] += 1
                else:
                    check(p.returncode == 4 and one_line(p),
                          f"{where}: --resume exit {p.returncode}: {p.stderr.strip()[:200]}")
                    counts["resume refused"] += 1
            stats[label] = (len(sites), counts)
        # a network cache
        cache = os.path.join(tmp, "cache.h5")
        gargs = ["graph", CONFIG, "--set", f"network.cache={cache}"]
        p = rtc(exe, gargs, 60)
        check(p is not None and p.returncode == 0, "graph run making the cache")
        want = [ln for ln in p.stdout.splitlines() if not ln.startswith("built in")]
        data = open(cache, "rb").read()
        sites = damage_sites(data)
        rebuilt = 0
        for off, patch in sites:
            where = f"graph cache, {len(patch)} byte(s) at {off}"
            with open(cache, "wb") as f:
                f.write(data[:off] + patch + data[off + len(patch):])
            p = rtc(exe, gargs, 30)
            if not check(p is not None, f"{where}: graph hangs"):
                continue
            got = [ln for ln in p.stdout.splitlines() if not ln.startswith("built in")]
            check(p.returncode == 0 and got == want,
                  f"{where}: exit {p.returncode}: {p.stderr.strip()[:200]}")
            with open(cache, "rb") as f:
                rebuilt += f.read() != data[:off] + patch + data[off + len(patch):]
        stats["graph cache"] = (len(sites), {"rebuilt": rebuilt})
        for label, (n, counts) in stats.items():
            print(f"{label}: {n} damaged copies: {counts}")
        chunk_elsewhere(exe, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return finish("test_damage")


if __name__ == "__main__":
    sys.exit(main())
