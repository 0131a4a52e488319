#!/usr/bin/env python3
"""What each part of writing the /runs table costs: rewrites the /runs rows of a results file
with each combination of chunk size and filters that stock HDF5 offers for a compound table
(Fletcher-32 always on, as format 2 requires; shuffle; deflate at levels 1, 4 and 6, or none),
one chunk-sized H5Dwrite at a time as rtcascade appends them, and prints the time per million
rows and the file size. Writes go to the page cache (no fsync), so the numbers are the CPU cost
of the filters, the chunk index and HDF5's type conversion, which is what the writer thread
spends.

  /usr/bin/python3 scripts/bench_io_filters.py RESULTS.h5 [--rows N] [--repeat R] [--dir DIR]

Needs h5py (Debian's python3-h5py, HDF5 1.10). The rows are read once; each setting writes them
R times (median kept)."""
import argparse
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _rcenv  # noqa: E402

_rcenv.need("bench_io_filters", "h5py", "numpy")

import h5py
import numpy as np

SETTINGS = [  # (name, shuffle, deflate level or None)
    ("fletcher32 only", False, None),
    ("shuffle", True, None),
    ("deflate 1", False, 1),
    ("shuffle + deflate 1", True, 1),
    ("shuffle + deflate 4", True, 4),
    ("shuffle + deflate 6", True, 6),
]
CHUNK_TARGETS = [65536, 262144, 1048576]


def chunk_sizes(per_point):
    """For each target, the largest divisor of the point's runs at most the target (so that a
    point fills whole chunks, as rtcascade arranges), if one is above half of it."""
    out = []
    for target in CHUNK_TARGETS:
        best = next((d for d in range(min(target, per_point), target // 2, -1)
                     if per_point % d == 0), None)
        if best and best not in out:
            out.append(best)
    return out


def write(path, rows, chunk, shuffle, level, append_rows):
    t0 = time.perf_counter()
    with h5py.File(path, "w", libver=("v110", "v110")) as f:
        d = f.create_dataset("runs", shape=(0,), maxshape=(None,), dtype=rows.dtype,
                             chunks=(chunk,), fletcher32=True, shuffle=shuffle,
                             compression="gzip" if level is not None else None,
                             compression_opts=level)
        for start in range(0, len(rows), append_rows):
            part = rows[start:start + append_rows]
            d.resize((start + len(part),))
            d[start:start + len(part)] = part
    return time.perf_counter() - t0, os.path.getsize(path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("results")
    ap.add_argument("--rows", type=int, default=0, help="use the first N rows (0 = all)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dir", default=None, help="where to write the copies (default: a temp dir)")
    a = ap.parse_args()
    with h5py.File(a.results, "r") as f:
        runs = f["runs"]
        rows = runs[: a.rows] if a.rows else runs[()]
        per_point = int(f.attrs["runs_per_point"])
    n = len(rows)
    print(f"rows: {n:,} of {rows.dtype.itemsize} bytes ({n * rows.dtype.itemsize / 2**20:.0f} MiB"
          f" raw), appended {per_point:,} at a time; median of {a.repeat}")
    print(f"load: {open('/proc/loadavg').read().split()[0:3]}")
    print(f"{'filters (+ fletcher32)':24s} {'chunk rows':>10s} {'s per 1e6 rows':>15s}"
          f" {'MB/s raw':>9s} {'bytes/row':>9s}")
    with tempfile.TemporaryDirectory(dir=a.dir) as tmp:
        path = os.path.join(tmp, "copy.h5")
        for name, shuffle, level in SETTINGS:
            for chunk in chunk_sizes(per_point):
                times, size = [], 0
                for _ in range(a.repeat):
                    t, size = write(path, rows, chunk, shuffle, level, per_point)
                    times.append(t)
                t = statistics.median(times)
                print(f"{name:24s} {chunk:10d} {t / n * 1e6:15.3f}"
                      f" {n * rows.dtype.itemsize / t / 1e6:9.0f} {size / n:9.1f}")


if __name__ == "__main__":
    main()
