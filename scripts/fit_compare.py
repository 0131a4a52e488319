#!/usr/bin/env python3
"""Fits one or more evently models to the cascades of a fit config with `rtcascade fit`,
simulates each fitted model with `rtcascade run` (its fitted_model, one seed per run), and prints
a markdown table per model: the estimates with their intervals, n* (the data's marks and
evently's), the negative log-likelihood and the fit's wall time, then the size distribution of
the fitted cascades against the simulated one (mean, P(size = 1), P(size = 2), P(size >= 10),
P(size >= 100), 99.9% quantile, largest, two-sample KS distance).

    /usr/bin/python3 scripts/fit_compare.py configs/fit/auspol_mpl.yaml --kinds mEXP,mPL
                                            [--runs 100000] [--out DIR] [--rtcascade PATH]

The model kinds are set with --set model.kernel=... model.marked=...; files go to --out
(default results/fit_compare/<config name>/). Needs h5py, numpy and PyYAML (Debian's)."""
import argparse
import math
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _rcenv  # noqa: E402

_rcenv.setup("fit_compare")
import h5py  # noqa: E402
import numpy as np  # noqa: E402
import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from repro import common  # noqa: E402

KINDS = {"EXP": ("exponential", False), "PL": ("power_law", False),
         "mEXP": ("exponential", True), "mPL": ("power_law", True)}


def fit_and_simulate(exe, config, kind, runs, out, threads):
    kernel, marked = KINDS[kind]
    h5 = os.path.join(out, f"{kind}.h5")
    t0 = time.time()
    common.run_fit(exe, config, h5, [f"model.kernel={kernel}",
                                     f"model.marked={'true' if marked else 'false'}"], threads)
    wall = time.time() - t0
    with h5py.File(h5, "r") as f:
        attrs = dict(f.attrs)
        fit = f["fit"][()]
        sizes = f["cascades"][()]
    model = yaml.safe_load(attrs["fitted_model"])
    cfg = {"name": f"{kind}_sim", "seed": 1, "runs": runs,
           "network": {"generator": "erdos_renyi", "nodes": 500000, "mean_degree": 1},
           "seeds": {"strategy": "random", "count": 1}, "model": model}
    sim_cfg = os.path.join(out, f"{kind}_sim.yaml")
    with open(sim_cfg, "w") as fh:
        yaml.safe_dump(cfg, fh, sort_keys=False)
    sim_h5 = common.run_rtcascade(exe, sim_cfg, os.path.join(out, f"{kind}_sim.h5"), (),
                                  threads, force=True, quiet=True)
    with h5py.File(sim_h5, "r") as f:
        sim = f["runs"]["retweets"][()].astype(float) + 1
    data = sizes[sizes["heldout"] == 0]["size"].astype(float)
    return attrs, fit, data, sim, wall


def ks(a, b):
    grid = np.unique(np.concatenate([a, b]))
    fa = np.searchsorted(np.sort(a), grid, side="right") / len(a)
    fb = np.searchsorted(np.sort(b), grid, side="right") / len(b)
    return float(np.max(np.abs(fa - fb)))


def table(kind, attrs, fit, data, sim, wall):
    lines = [f"### {kind}", "", "| parameter | estimate | 95% interval |", "|---|---|---|"]
    for r in fit:
        lines.append(f"| {r['parameter'].decode()} | {r['estimate']:.6g} | "
                     f"[{r['ci_low']:.6g}, {r['ci_high']:.6g}] |")
    lines += ["", f"n* with the data's marks {attrs['branching_factor_empirical']:.4f}, "
              f"evently's (power-law marks) {attrs['branching_factor_powerlaw']:.4f}; "
              f"nll {attrs['nll']:.6f}; fit {attrs['seconds_fit']:.2f} s, "
              f"`rtcascade fit` {wall:.2f} s wall; converged {int(attrs['converged'])}", "",
              "| size | data | simulated | 95% CI |", "|---|---|---|---|"]
    m = common.mean_ci(sim)
    lines.append(f"| mean | {data.mean():.4f} | {m.value:.4f} | [{m.lo:.4f}, {m.hi:.4f}] |")
    for name, fn in (("P(size = 1)", lambda x: x == 1), ("P(size = 2)", lambda x: x == 2),
                     ("P(size >= 10)", lambda x: x >= 10), ("P(size >= 100)", lambda x: x >= 100)):
        p = common.proportion_ci(fn(sim))
        lines.append(f"| {name} | {np.mean(fn(data)):.4f} | {p.value:.4f} | "
                     f"[{p.lo:.4f}, {p.hi:.4f}] |")
    lines.append(f"| 99.9% quantile | {np.quantile(data, 0.999):.1f} | "
                 f"{np.quantile(sim, 0.999):.1f} | |")
    lines.append(f"| largest | {int(data.max())} | {int(sim.max())} | |")
    crit = 1.358 * math.sqrt((len(data) + len(sim)) / (len(data) * len(sim)))
    lines.append(f"| KS distance | | {ks(data, sim):.4f} | 5% critical value {crit:.4f} |")
    lines.append(f"\n({len(data):,} cascades, {len(sim):,} simulated runs)\n")
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("config")
    ap.add_argument("--kinds", default="mEXP,mPL")
    ap.add_argument("--runs", type=int, default=100000)
    ap.add_argument("--out")
    ap.add_argument("--threads", type=int)
    ap.add_argument("--rtcascade")
    a = ap.parse_args(argv)
    out = a.out or os.path.join(common.REPO, "results", "fit_compare",
                                os.path.splitext(os.path.basename(a.config))[0])
    os.makedirs(out, exist_ok=True)
    exe = common.find_rtcascade(a.rtcascade)
    for kind in a.kinds.split(","):
        if kind not in KINDS:
            print(f"fit_compare.py: unknown kind {kind} (valid: {', '.join(KINDS)})",
                  file=sys.stderr)
            return 2
        print(table(kind, *fit_and_simulate(exe, a.config, kind, a.runs, out, a.threads)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
