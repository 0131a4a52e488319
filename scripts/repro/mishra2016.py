"""Mishra, Rizoiu & Xie (2016), "Feature Driven and Point Process Approaches for Popularity
Prediction", CIKM 2016: the marked power-law Hawkes model (evently's mPL) fitted to retweet
cascades, its branching factor n*, final sizes of unseen cascades predicted from their start,
and the fitted process simulated against the data. On the #auspol cascades of the evently R
package (the paper's data sets are not at hand), with one fit pooled over 80% of the cascades.

Checked: that `rtcascade run` under the fit file's fitted_model simulates the fitted process,
by three numbers the process fixes exactly (with n* = kappa E[m^beta] over the reshares' marks
and a0 = kappa m0^beta for a post with m0 followers): the mean size 1 + E[a0] / (1 - n*),
P(size 1) = E[exp(-a0)] and P(size 2) = E[a0 exp(-a0)] E[exp(-kappa m^beta)]. Shown, not
checked (they are where the model meets the data): the estimates, n* two ways, the simulated
size distribution against the observed one, and the errors of the held-out predictions by the
fitted model and by SEISMIC.
"""
import math
import os

import h5py
import numpy as np
import yaml

from . import common

KEY = "mishra2016"
TITLE = ("Mishra, Rizoiu & Xie (2016): marked power-law Hawkes (evently mPL) fitted to retweet "
         "cascades (#auspol), n*, held-out prediction, simulated vs observed sizes")
RUNS, RUNS_REDUCED = 100000, 20000
NODES = 500000         # capacity of a simulated cascade (the network only bounds its size)


def _sim_paths(h5):
    base, _ = os.path.splitext(h5)
    return base + "_sim.yaml", base + "_sim.h5"


def produce(find_exe, config, h5, sets, ctx, threads=None, force=False, reread=False):
    """The fit file h5 (rtcascade fit), then the fitted model simulated beside it (rtcascade run
    of <h5>_sim.yaml into <h5>_sim.h5; with reread, only when that file is missing)."""
    if not reread:
        common.run_fit(find_exe(), config, h5, sets, threads)
    sim_cfg, sim_h5 = _sim_paths(h5)
    if reread and os.path.isfile(sim_h5):
        return h5
    with h5py.File(h5, "r") as f:
        model = yaml.safe_load(f.attrs["fitted_model"])
        seed = int(f.attrs["seed"])
    cfg = {"name": KEY + "_sim", "seed": seed, "runs": RUNS_REDUCED if ctx.reduced else RUNS,
           "network": {"generator": "erdos_renyi", "nodes": NODES, "mean_degree": 1},
           "seeds": {"strategy": "random", "count": 1}, "model": model}
    with open(sim_cfg, "w") as fh:
        fh.write("# the fitted model of " + os.path.basename(h5) + " (its fitted_model), one "
                 "seed per run\n")
        yaml.safe_dump(cfg, fh, sort_keys=False)
    common.run_rtcascade(find_exe(), sim_cfg, sim_h5, (), threads, force=True, quiet=True)
    return h5


def _weights(values, beta):
    v = np.asarray(values, dtype=float)
    return np.where(v > 0, v ** beta, 0.0)


def analyse(h5, ctx):
    rep = common.Report(KEY, TITLE)
    _, sim_h5 = _sim_paths(h5)
    with h5py.File(h5, "r") as f:
        a = dict(f.attrs)
        fit = f["fit"][()]
        cas = f["cascades"][()]
        pr = f["predictions"][()]
    with h5py.File(sim_h5, "r") as f:
        sim = f["runs"]["retweets"][()].astype(float) + 1.0
        capped = int(f["runs"]["capped"][()].sum()) if "capped" in f["runs"].dtype.names else 0
    model = yaml.safe_load(a["fitted_model"])
    train = cas[cas["heldout"] == 0]["size"].astype(float)
    rep.notes.append(
        f"#auspol: {len(cas):,} cascades; {len(train):,} fitted (complete, T = infinity), "
        f"{int(a['n_heldout']):,} held out. mPL fitted by maximum likelihood (rtcascade fit: "
        f"BFGS from {int(a['starts'])} starts, no bounds; 95% intervals from the observed "
        f"information). Simulation: {len(sim):,} runs of the fitted model ({capped} capped), "
        "one seed each, the seeds' follower counts drawn from the fitted cascades' posts.")
    _fit_rows(rep, fit, a)
    _process_rows(rep, model, sim)
    _data_rows(rep, train, sim)
    _prediction_rows(rep, pr)
    rep.figures += _figures(train, sim, pr, ctx)
    return rep


def _est(v, lo=math.nan, hi=math.nan, n=1):
    return common.Estimate(float(v), math.nan, float(lo), float(hi), n, 0)


def _fit_rows(rep, fit, a):
    for row in fit:
        name = row["parameter"].decode()
        note = ""
        if name == "c":
            note = ("above evently's bound c <= 300 s" if row["estimate"] > 300 else "")
        if name == "n*":
            name = "n* (the fitted reshares' marks)"
        rep.rows.append(common.Row("fit", name, "mPL, 80% of #auspol", math.nan,
                                   _est(row["estimate"], row["ci_low"], row["ci_high"]),
                                   source="none", check=False, note=note))
    rep.rows.append(common.Row("fit", "n* (evently: power-law marks, alpha 2.016)",
                               "mPL, 80% of #auspol", math.nan,
                               _est(a["branching_factor_powerlaw"]), source="none", check=False))
    rep.rows.append(common.Row("fit", "negative log-likelihood", "mPL, 80% of #auspol",
                               math.nan, _est(a["nll"]), source="none", check=False,
                               note=f"{a['seconds_fit']:.1f} s"))


def _process_rows(rep, model, sim):
    """The simulated fitted process against its own exact numbers (checked)."""
    k, b = model["kappa"], model["beta"]
    a0 = k * _weights(model["seed_followers"]["values"], b)
    wr = k * _weights(model["followers"]["values"], b)
    nstar = wr.mean()
    n = len(sim)
    setting = f"fitted mPL, n* = {nstar:.4f}"
    rep.rows.append(common.Row("simulation", "mean size", setting, 1 + a0.mean() / (1 - nstar),
                               common.mean_ci(sim)))
    for size, p in ((1, np.exp(-a0).mean()),
                    (2, (a0 * np.exp(-a0)).mean() * np.exp(-wr).mean())):
        rep.rows.append(common.Row("simulation", f"P(size = {size})", setting, p,
                                   common.proportion_ci(sim == size)))
    del n


def _data_rows(rep, train, sim):
    """The fitted process against the data it was fitted to (shown: where the model misfits)."""
    setting = "fitted cascades vs simulation"
    rep.rows.append(common.Row("sizes", "mean size", setting, train.mean(), common.mean_ci(sim),
                               source="data", check=False))
    for k in (1, 2):
        rep.rows.append(common.Row("sizes", f"P(size = {k})", setting, np.mean(train == k),
                                   common.proportion_ci(sim == k), source="data", check=False))
    for k in (10, 100):
        rep.rows.append(common.Row("sizes", f"P(size >= {k})", setting, np.mean(train >= k),
                                   common.proportion_ci(sim >= k), source="data", check=False))
    q = 0.999
    rep.rows.append(common.Row("sizes", f"{q:.1%} quantile of size", setting,
                               float(np.quantile(train, q)), _est(np.quantile(sim, q), n=len(sim)),
                               source="data", check=False))
    # two-sample Kolmogorov-Smirnov distance between the size distributions
    grid = np.unique(np.concatenate([train, sim]))
    d = np.max(np.abs(np.searchsorted(np.sort(train), grid, side="right") / len(train) -
                      np.searchsorted(np.sort(sim), grid, side="right") / len(sim)))
    crit = 1.358 * math.sqrt((len(train) + len(sim)) / (len(train) * len(sim)))
    rep.rows.append(common.Row("sizes", "KS distance", setting, 0.0, _est(d, n=len(sim)),
                               source="data", check=False,
                               note=f"5% critical value {crit:.3f}"))


def _prediction_rows(rep, pr):
    """Held-out cascades: median relative error of the predicted final size, over all and over
    those that grew after t; and the predicted total against the observed total."""
    for t in sorted(set(pr["at"].tolist())):
        for method in (b"hawkes", b"seismic"):
            p = pr[(pr["at"] == t) & (pr["method"] == method)]
            if len(p) == 0:
                continue
            fin = p["final_size"].astype(float)
            pred = p["predicted_final"].astype(float)
            err = np.abs(pred - fin) / fin
            grew = fin > p["observed_size"]
            m = method.decode()
            setting = f"held out, seen {t:g} s"
            rep.rows.append(common.Row(f"prediction ({m})", "median |error| / final size",
                                       setting, 0.0, _est(np.median(err), n=len(p)),
                                       source="data", check=False))
            if grew.any():
                rep.rows.append(common.Row(
                    f"prediction ({m})", "median |error| / final, grew after t", setting, 0.0,
                    _est(np.median(err[grew]), n=int(grew.sum())), source="data", check=False))
            ok = np.isfinite(pred)
            rep.rows.append(common.Row(
                f"prediction ({m})", "predicted / observed total size", setting, 1.0,
                _est(pred[ok].sum() / fin[ok].sum(), n=int(ok.sum())), source="data",
                check=False))
            if m == "hawkes":
                cover = (p["low"] <= fin) & (fin <= p["high"])
                rep.rows.append(common.Row(
                    f"prediction ({m})", "final size inside the 95% interval", setting, 0.95,
                    _est(cover.mean(), n=len(p)), source="nominal", check=False,
                    note="an interval of the expectation, not of one cascade"))


def _ccdf(x):
    x = np.sort(x)
    u, idx = np.unique(x, return_index=True)
    return u, 1.0 - idx / len(x)


def _figures(train, sim, pr, ctx):
    fig, ax = common.new_figure(ncols=2, size=(11, 4.4))
    for data, label, style in ((train, f"#auspol, fitted cascades ({len(train):,})", "o"),
                               (sim, f"fitted mPL simulated ({len(sim):,} runs)", "-")):
        u, c = _ccdf(data)
        ax[0].plot(u, c, style, ms=3, label=label)
    ax[0].set_xscale("log")
    ax[0].set_yscale("log")
    ax[0].set_xlabel("cascade size (the post included)")
    ax[0].set_ylabel("P(size >= s)")
    common.grid(ax[0])
    common.title(ax[0], "Sizes: data vs the fitted process")
    ax[0].legend(fontsize=8)
    t = max(set(pr["at"].tolist()), key=lambda v: v == 3600) if len(pr) else None
    for method, marker in ((b"hawkes", "o"), (b"seismic", "x")):
        p = pr[(pr["at"] == t) & (pr["method"] == method)]
        ok = np.isfinite(p["predicted_final"])
        ax[1].plot(p["final_size"][ok], p["predicted_final"][ok], marker, ms=3, alpha=0.5,
                   label=f"{method.decode()}")
    hi = max(10, float(pr["final_size"].max())) if len(pr) else 10
    ax[1].plot([1, hi], [1, hi], color="0.3", lw=1)
    ax[1].set_xscale("log")
    ax[1].set_yscale("log")
    ax[1].set_xlabel("final size (held-out cascade)")
    ax[1].set_ylabel("predicted final size")
    common.grid(ax[1])
    common.title(ax[1], f"Held-out predictions seen {t:g} s" if t is not None else "")
    ax[1].legend(fontsize=8)
    return common.save(fig, ctx, "mishra2016_sizes_predictions")
