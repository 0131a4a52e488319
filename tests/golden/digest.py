#!/usr/bin/env python3
"""Per-point digests of a results file, to pin results across changes of the code.

    digest.py RESULTS.h5                 prints the digests as JSON
    digest.py RESULTS.h5 --check REF.json [--name KEY]
                                         compares with the digests stored under KEY

For each point: SHA-256 of every column of /runs (its rows in run order), of the metric
columns of /summary and of each /curves table's rows. Columns are digested one by one by
name, so a later format may add columns without changing the digests of the old ones; only
the columns of the reference are compared.
"""
import hashlib
import json
import sys

import h5py
import numpy as np

# Columns that describe rather than measure (strings, swept values): left out of /summary.
_SUMMARY_SKIP = {"scenario"}


def _column_digests(rows, skip=()):
    out = {}
    for name in rows.dtype.names:
        if name in skip or name == "point" or rows.dtype[name].kind in "SUO":
            continue
        out[name] = hashlib.sha256(np.ascontiguousarray(rows[name]).tobytes()).hexdigest()[:16]
    return out


def digests(path):
    with h5py.File(path, "r") as f:
        swept = [s.decode() if isinstance(s, bytes) else str(s) for s in f.attrs["swept_keys"]]
        n_points = int(f.attrs["n_points"])
        runs = f["runs"][()]
        summary = f["summary"][()]
        curves = {k: f["curves"][k][()] for k in f["curves"]}
    result = []
    for p in range(n_points):
        r = runs[runs["point"] == p]
        r = r[np.argsort(r["run"], kind="stable")]
        s = summary[summary["point"] == p]
        entry = {"runs": len(r), "run_columns": _column_digests(r),
                 "summary": _column_digests(s, _SUMMARY_SKIP | set(swept))}
        for k, c in curves.items():
            entry["curve_" + k] = _column_digests(c[c["point"] == p])
        result.append(entry)
    return result


def compare(got, ref):
    problems = []
    if len(got) != len(ref):
        return [f"{len(got)} points, expected {len(ref)}"]
    for p, (g, r) in enumerate(zip(got, ref)):
        for part, rv in r.items():
            gv = g.get(part)
            if isinstance(rv, dict):
                for col, h in rv.items():
                    if gv is None or gv.get(col) != h:
                        problems.append(f"point {p}: {part}.{col} differs")
            elif gv != rv:
                problems.append(f"point {p}: {part} is {gv}, expected {rv}")
    return problems


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    got = digests(argv[1])
    if "--check" not in argv:
        json.dump(got, sys.stdout, indent=1, sort_keys=True)
        print()
        return 0
    ref_all = json.load(open(argv[argv.index("--check") + 1]))
    key = argv[argv.index("--name") + 1] if "--name" in argv else None
    ref = ref_all[key] if key is not None else ref_all
    problems = compare(got, ref)
    for line in problems[:20]:
        print(f"{argv[1]}: {line}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
