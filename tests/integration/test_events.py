#!/usr/bin/env python3
"""Outputs to compare with data (tests/integration/events.yaml on a real follower network):

1. /events holds one row per adoption of the points that ask for it (as many as their /runs
   sizes add up to; none for the point that does not), in run order; nodes are the network
   file's ids; every reshare's parent adopted in the same run one generation earlier and no
   later; times NaN for the untimed model, marks only for hawkes (its follower counts);
2. /curves/growth: timed points only, from t = 0, increasing, mean inside its band, ending at
   the mean size; rtcascade.load reads both (parent <NA> for seeds);
3. the file is the same with 1 and 2 threads;
4. the size guard: an events.max_rows the runs must exceed is refused before anything runs
   (file:line:col); one they exceed as they go stops the run (exit 3, a message naming the
   point and the guard); the points before it are in the file, and a file rebuilt from the
   journal by --resume holds the same /events and /curves/growth rows.

usage: test_events.py RTCASCADE"""
import os
import shutil
import subprocess
import sys
import tempfile

import h5py
import numpy as np

from rcitest import check, compare_files, exe_from_argv, finish, run

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIG = os.path.join(HERE, "events.yaml")
EDGES = os.path.join(HERE, "..", "data", "shared", "twitter_hershey_careers.edges")
NO_PARENT = np.uint64(2**64 - 1)
POINTS = {"ic": 0, "cc": 1, "hk": 2, "quiet": 3}


def file_ids():
    ids = set()
    with open(EDGES) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                a, b = line.split()[:2]
                ids.update((int(a), int(b)))
    return ids


def check_events(path):
    with h5py.File(path, "r") as f:
        ev, runs = f["events"][()], f["runs"][()]
        growth = f["curves/growth"][()]
        summary = f["summary"][()]
    ids = file_ids()
    for name, p in POINTS.items():
        e, r = ev[ev["point"] == p], runs[runs["point"] == p]
        want = 0 if name == "quiet" else int(r["size"].sum())
        check(len(e) == want, f"{name}: {len(e)} events, the runs' sizes add up to {want}")
        if not len(e):
            continue
        check(bool(np.all(np.diff(e["run"].astype(np.int64)) >= 0)), f"{name}: in run order")
        check(set(e["node"].tolist()) <= ids, f"{name}: nodes are the file's ids")
        bad = 0
        for run in np.unique(e["run"])[:100]:
            rows = e[e["run"] == run]
            where = {int(n): i for i, n in enumerate(rows["node"])}
            for i, row in enumerate(rows):
                if row["parent"] == NO_PARENT:
                    bad += row["generation"] != 0
                    continue
                j = where.get(int(row["parent"]))
                bad += j is None or j >= i or rows[j]["generation"] + 1 != row["generation"]
                if name != "ic":
                    bad += j is not None and rows[j]["time"] > row["time"]
        check(bad == 0, f"{name}: {bad} events whose parent is not an earlier adopter one "
                        f"generation up")
        check(bool(np.all(np.isnan(e["time"]))) == (name == "ic"), f"{name}: times")
        check(bool(np.all(np.isfinite(e["mark"]))) == (name == "hk") and
              (name == "hk" or bool(np.all(np.isnan(e["mark"])))), f"{name}: marks")
        # growth: timed points only, ending at the mean size
        g = growth[growth["point"] == p]
        if name == "ic":
            check(len(g) == 0, "ic: no growth curve for an untimed model")
            continue
        check(len(g) > 3 and g["t"][0] == 0 and bool(np.all(np.diff(g["t"]) > 0)),
              f"{name}: growth times from 0, increasing")
        check(bool(np.all(g["n_low"] <= g["n_mean"])) and bool(np.all(g["n_mean"] <= g["n_high"])),
              f"{name}: the mean inside its band")
        mean_size = r["size"].mean()
        check(abs(g["n_mean"][-1] - mean_size) < 1e-9 * mean_size,
              f"{name}: growth ends at {g['n_mean'][-1]}, the mean size is {mean_size}")
        s = summary[summary["point"] == p]
        check(len(s) == 1, f"{name}: one summary row")
    print(f"{path}: {len(ev)} events, {len(growth)} growth rows checked")


def check_load(path):
    sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))  # load() needs h5py only
    from rtcascade.results import load
    r = load(path)
    e = r.events(POINTS["cc"])
    check(r.has_events and len(e) > 0 and e["parent"].isna().sum() == 2 * 300,
          "rtcascade.load: events of cc, parent <NA> for its 2 seeds a run")
    check(len(r.events(POINTS["quiet"])) == 0, "rtcascade.load: no events for quiet")
    gr = r.curves(POINTS["cc"], "growth")
    check(list(gr.columns) == ["point", "t", "n_mean", "n_sd", "n_low", "n_high"] and len(gr),
          "rtcascade.load: growth curve")


def check_guard(exe, tmp):
    # refused before anything runs: 300 runs x 2 seeds cannot fit in 500 rows
    out = os.path.join(tmp, "refused.h5")
    p = run(exe, [CONFIG, "-o", out, "--quiet", "--set", "events={max_rows: 500}"])
    check(p.returncode == 3 and "events: point 0" in p.stderr and "max_rows 500" in p.stderr,
          f"a guard the seeds alone exceed: exit {p.returncode}: {p.stderr.strip()}")
    check(not os.path.exists(out), "nothing written when refused")
    # stops as it goes: cc's runs hold about 19,000 adoptions
    out = os.path.join(tmp, "guard.h5")
    p = run(exe, [CONFIG, "-o", out, "--quiet", "--set",
                  "scenarios.cc.events.max_rows=5000"])
    print("guard: " + p.stderr.strip().splitlines()[0] if p.stderr else "guard: no message")
    check(p.returncode == 3 and "point 1 (scenario cc)" in p.stderr and
          "more than 5000 adoptions" in p.stderr, f"the guard stops the run: exit "
          f"{p.returncode}: {p.stderr.strip()}")
    with h5py.File(out, "r") as f:
        done = sorted(f["summary"]["point"].tolist())
    check(done == [0], f"the points before the guard are in the file: {done}")
    # rebuilt from its journal: the same rows of /events and /curves/growth
    kept = os.path.join(tmp, "guard_kept.h5")
    shutil.copy(out, kept)
    os.remove(out)
    p = run(exe, [CONFIG, "-o", out, "--quiet", "--resume", "--set",
                  "scenarios.cc.events.max_rows=5000"])
    check(p.returncode == 3 and os.path.exists(out), f"--resume rebuilds, then stops at the "
          f"guard again: exit {p.returncode}")
    if os.path.exists(out):
        d = compare_files(kept, out)
        check(d == [], "the file rebuilt from the journal differs: " + "; ".join(d[:5]))


def main():
    exe = exe_from_argv()
    os.environ["HDF5_USE_FILE_LOCKING"] = "FALSE"
    tmp = tempfile.mkdtemp(prefix="rc_events_")
    try:
        a, b = os.path.join(tmp, "t1.h5"), os.path.join(tmp, "t2.h5")
        p = run(exe, [CONFIG, "-o", a, "--quiet", "--threads", "1"])
        if not check(p.returncode == 0, f"run: exit {p.returncode}: {p.stderr}"):
            return finish("test_events")
        check_events(a)
        check_load(a)
        p = run(exe, [CONFIG, "-o", b, "--quiet", "--threads", "2"])
        d = compare_files(a, b) if p.returncode == 0 else ["exit %d" % p.returncode]
        check(d == [], "1 and 2 threads differ: " + "; ".join(d[:5]))
        check_guard(exe, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return finish("test_events")


if __name__ == "__main__":
    sys.exit(main())
