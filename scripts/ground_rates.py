#!/usr/bin/python3
"""Per-account reshare rates of a fitted marked Hawkes model, with bootstrap intervals: the
numbers that ground the main study (configs/handpicked_vs_broadcast_fitted.yaml).

    scripts/ground_rates.py [FIT.yaml] [--bootstrap B] [--jobs 2] [-o OUT.csv] [--rtcascade BIN]

Fits FIT.yaml (default configs/fit/auspol_mpl.yaml) with `rtcascade fit`, then refits it on B
resamples of its cascades (with replacement; numpy's generator seeded with --seed), each from
the full fit's estimates. For an account with m followers the fitted process gives

    a(m) = kappa m^beta     expected direct reshares of one post or reshare by it,
    p(m) = kappa m^(beta-1) the same per follower,

with kappa = K (exponential kernel) or K c^-theta / theta (power-law kernel), the mean number
of children of an event of weight 1 (docs/fit.md). Prints them at the follower counts of the
study's authors and of typical accounts, each with the bootstrap's 2.5% and 97.5% percentiles,
and writes them to OUT.csv (default results/grounded/rates_<name>.csv).
"""
import argparse
import concurrent.futures
import csv
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _rcenv  # noqa: E402

_rcenv.need("ground_rates", "numpy", "h5py", "yaml")

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
# Follower counts at which the rates are reported: the study's audiences (hand-picked 250,
# broadcast 2,000 and its sweep, the celebrity's 10^6, the careers network's half, 6,844) and
# typical accounts of the networks (min 5, mean 20, hubs of 1,000-10,000).
COUNTS = [1, 5, 20, 100, 250, 1000, 2000, 6844, 8000, 10000, 32000, 128000, 1000000]


def fit_params(path):
    """(kind, K, beta, c, theta, kappa, n*) of a fit file."""
    import h5py
    with h5py.File(path, "r") as f:
        kind = f.attrs["model"]
        kind = kind.decode() if isinstance(kind, bytes) else str(kind)
        est = {(r["parameter"].decode() if isinstance(r["parameter"], bytes) else r["parameter"]):
               float(r["estimate"]) for r in f["fit"][()]}
    K, beta = est["K"], est.get("beta", 0.0)
    theta, c = est["theta"], est.get("c", float("nan"))
    kappa = K * c ** -theta / theta if "PL" in kind else K
    return kind, K, beta, c, theta, kappa, est.get("n*", float("nan"))


def run_fit(binary, config, out, sets=()):
    cmd = [binary, "fit", config, "-o", out, "--force"] + [x for s in sets for x in ("--set", s)]
    env = dict(os.environ, OMP_NUM_THREADS="1")
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: {p.stderr.strip()}")
    return fit_params(out)


def read_cascades(path):
    """Rows of the CSV grouped by cascade, header kept."""
    import gzip
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    with opener(path, "rt") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    col = header.index("cascade")
    groups, order = {}, []
    for r in body:
        if r[col] not in groups:
            groups[r[col]] = []
            order.append(r[col])
        groups[r[col]].append(r)
    return header, col, [groups[k] for k in order]


def resample(header, col, cascades, rng, path):
    """Writes len(cascades) cascades drawn with replacement, renamed so repeats stay apart."""
    pick = rng.integers(0, len(cascades), len(cascades))
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for i, j in enumerate(pick):
            for r in cascades[j]:
                r = list(r)
                r[col] = f"b{i}"
                w.writerow(r)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("config", nargs="?", default=os.path.join(ROOT, "configs/fit/auspol_mpl.yaml"))
    ap.add_argument("--bootstrap", type=int, default=100)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=2015)
    ap.add_argument("-o", "--out", default=None)
    ap.add_argument("--rtcascade", default=os.path.join(ROOT, "build/rtcascade"))
    a = ap.parse_args(argv)
    import yaml
    cfg = yaml.safe_load(open(a.config))
    name = cfg.get("name", os.path.splitext(os.path.basename(a.config))[0])
    data = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(a.config)),
                                         cfg["data"]["path"]))
    tmp = tempfile.mkdtemp(prefix="ground_rates_")
    kind, K, beta, c, theta, kappa, nstar = run_fit(a.rtcascade, a.config,
                                                    os.path.join(tmp, "full.h5"))
    print(f"{name}: {kind} K = {K:.6g}, beta = {beta:.6g}, c = {c:.6g}, theta = {theta:.6g}; "
          f"kappa = {kappa:.6g}, n* = {nstar:.4f}")
    start = f"fit.start={{K: {K!r}, beta: {beta!r}, theta: {theta!r}" + \
        (f", c: {c!r}}}" if "PL" in kind else "}")
    header, col, cascades = read_cascades(data)
    rng = np.random.default_rng(a.seed)
    paths = []
    for b in range(a.bootstrap):
        p = os.path.join(tmp, f"boot{b}.csv")
        resample(header, col, cascades, rng, p)
        paths.append(p)

    def one(p):
        return run_fit(a.rtcascade, a.config, p[:-4] + ".h5",
                       (f"data.path={p}", start, "fit.starts=1"))
    boots = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as ex:
        for r in ex.map(one, paths):
            boots.append(r)
    bk = np.array([r[5] for r in boots])
    bb = np.array([r[2] for r in boots])
    out = a.out or os.path.join(ROOT, "results", "grounded", f"rates_{name}.csv")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    rows = []
    print(f"bootstrap: {len(boots)} refits on resampled cascades; kappa 95% "
          f"[{np.percentile(bk, 2.5):.4g}, {np.percentile(bk, 97.5):.4g}], beta "
          f"[{np.percentile(bb, 2.5):.4g}, {np.percentile(bb, 97.5):.4g}]")
    print(f"{'followers m':>12}  {'kappa m^beta':>26}  {'per follower kappa m^(beta-1)':>34}")
    for m in COUNTS:
        a_m = kappa * m ** beta
        b_m = bk * m ** bb
        lo, hi = np.percentile(b_m, [2.5, 97.5])
        rows.append({"model": kind, "followers": m, "reshares": a_m, "reshares_low": lo,
                     "reshares_high": hi, "per_follower": a_m / m, "per_follower_low": lo / m,
                     "per_follower_high": hi / m})
        print(f"{m:>12,}  {a_m:10.4f} [{lo:.4f}, {hi:.4f}]  "
              f"{a_m / m:14.6g} [{lo / m:.4g}, {hi / m:.4g}]")
    with open(out, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
