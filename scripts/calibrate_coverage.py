#!/usr/bin/env python3
"""Coverage of a calibration's profile interval (docs/fit.md, simulation-based calibration):
K data sets of independent cascades (p = 0.04 from one random seed on the @hersheycareers
network), each simulated by `rtcascade run` with events: and calibrated back by `rtcascade fit`
with calibrate:; prints each estimate and interval, then the share of intervals that cover the
truth and the estimates' mean and sd.

    /usr/bin/python3 scripts/calibrate_coverage.py [K=40] [--rtcascade build/rtcascade]
        [--cascades 600] [--runs 2400]

About 10 s of CPU a data set. Seeds are fixed: data set k is simulated with seed 100 + k and
calibrated with seed 7 + k."""
import argparse
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _rcenv  # noqa: E402

_rcenv.setup("calibrate_coverage", "h5py", "numpy")
import h5py  # noqa: E402
import numpy as np  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EDGES = os.path.join(ROOT, "tests", "data", "shared", "twitter_hershey_careers.edges")
NETWORK = f"{{generator: file, path: {EDGES}, direction: flows}}"
TRUE_P = 0.04


def one(exe, tmp, k, n, runs):
    gen, h5, csv = (os.path.join(tmp, f) for f in ("g.yaml", "g.h5", "g.csv"))
    with open(gen, "w") as f:
        f.write(f"name: g\nseed: {100 + k}\nruns: {n}\nnetwork: {NETWORK}\n"
                f"model: {{name: independent_cascade, p: {TRUE_P}}}\n"
                "seeds: {strategy: random, count: 1}\nevents: true\n")
    subprocess.run([exe, "run", gen, "-o", h5, "--force", "--quiet", "--no-figures"],
                   check=True, capture_output=True)
    with h5py.File(h5, "r") as f:
        ev = f["events"][()]
    starts = np.searchsorted(ev["run"], np.arange(n + 1))
    with open(csv, "w") as out:
        out.write("cascade,time_s,followers\n")
        for r in range(n):
            for e in ev[starts[r]:starts[r + 1]]:
                out.write(f"{r},{e['generation']},1\n")
    cfg, fit = os.path.join(tmp, "c.yaml"), os.path.join(tmp, "c.h5")
    with open(cfg, "w") as f:
        f.write(f"name: c\nseed: {7 + k}\ndata: {{path: {csv}}}\ncalibrate:\n"
                f"  network: {NETWORK}\n  model: {{name: independent_cascade}}\n"
                "  seeds: {strategy: random, count: 1}\n  free: {model.p: [0.005, 0.2]}\n"
                f"  runs: {runs}\n")
    subprocess.run([exe, "fit", cfg, "-o", fit, "--force", "--quiet"], check=True,
                   capture_output=True)
    with h5py.File(fit, "r") as f:
        row = f["fit"][0]
    return float(row["estimate"]), float(row["ci_low"]), float(row["ci_high"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("k", nargs="?", type=int, default=40)
    ap.add_argument("--rtcascade", default=os.path.join(ROOT, "build", "rtcascade"))
    ap.add_argument("--cascades", type=int, default=600)
    ap.add_argument("--runs", type=int, default=2400)
    a = ap.parse_args()
    est, hits = [], 0
    with tempfile.TemporaryDirectory(prefix="rc_coverage_") as tmp:
        for k in range(a.k):
            e, lo, hi = one(a.rtcascade, tmp, k, a.cascades, a.runs)
            hits += lo <= TRUE_P <= hi
            est.append(e)
            word = "covers" if lo <= TRUE_P <= hi else "MISSES"
            print(f"{k:3d}  p = {e:.5f} [{lo:.5f}, {hi:.5f}]  {word}", flush=True)
    est = np.array(est)
    print(f"coverage {hits}/{a.k} = {hits / a.k:.3f}; estimates mean {est.mean():.5f}, sd "
          f"{est.std(ddof=1):.5f} (true p {TRUE_P})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
