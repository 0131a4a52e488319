"""Zhao, Erdogdu, He, Rajaraman & Leskovec (2015), "SEISMIC: A Self-Exciting Point Process
Model for Predicting Tweet Popularity", KDD 2015: one tweet's final popularity predicted from
its first minutes and hours. The tweet is the SEISMIC R package's example (15,562 retweets).

What is checked: rtcascade's SEISMIC (`rtcascade fit` with predict.methods [seismic]) against
the numbers of the package's own R code on this tweet (CRAN seismic 1.1, R/tweetfunctions.R run
in R 4.2.2; the same values test_fit_predict pins). What is shown, not checked: the prediction
error of SEISMIC and of evently's mEXP and mPL fitted to the part seen up to each time, against
the tweet's final 15,562 retweets; the paper's own accuracy figures are over many tweets and
are not comparable with one tweet.
"""
import math
import os

import h5py
import numpy as np

from . import common

KEY = "seismic2015"
TITLE = ("Zhao et al. (2015), SEISMIC: predicting one tweet's final popularity from its first "
         "minutes and hours (the R package's example tweet)")
FINAL = 15562          # retweets in the file: the truth every prediction is compared with
# get.infectiousness + pred.cascade (n.star = 100) of the R package on this tweet: predicted
# retweets (without the post) at each time, printed with %.17g (test_fit_predict.c, R_PINNED)
R_PINNED = {300: math.inf, 1000: 84.1481484914448, 3600: 7580.7895259078095,
            7200: 8760.9695589595831, 21600: 15144.958291858609, 43200: 18130.929199445494,
            86400: 19325.82998390375, 172800: 18178.701841917336}
# Hawkes fits on the part seen up to t: mEXP at every time, mPL (O(n^2) per likelihood) while
# up to an hour (907 retweets: 45 s on a shared 2-core machine; two hours, 2,560, took over 4
# minutes and was stopped)
MPL_UNTIL = 3600
REL = 1e-9             # agreement with R: relative, for R's own pow and qchisq


def _hawkes_file(h5, kind, t):
    base, _ = os.path.splitext(h5)
    return f"{base}_{kind.lower()}_{int(t)}.h5"


def _times(h5):
    with h5py.File(h5, "r") as f:
        return sorted(set(float(x) for x in f["predictions"]["at"]))


def produce(find_exe, config, h5, sets, ctx, threads=None, force=False, reread=False):
    """The SEISMIC fit file h5, then one `rtcascade fit` per time and Hawkes kind beside it."""
    if not reread:
        exe = find_exe()
        common.run_fit(exe, config, h5, sets, threads)
        for t in _times(h5):
            kinds = ["mEXP"] + (["mPL"] if t <= MPL_UNTIL and not ctx.reduced else [])
            if ctx.reduced and t != 3600:
                kinds = []
            for kind in kinds:
                kernel = "power_law" if kind == "mPL" else "exponential"
                common.run_fit(exe, config, _hawkes_file(h5, kind, t), list(sets) + [
                    f"data.observation_time={t:g}",
                    f"model={{name: hawkes, kernel: {kernel}, marked: true}}",
                    "predict={methods: [hawkes]}"], threads)
    return h5


def _read_hawkes(h5, kind, t):
    path = _hawkes_file(h5, kind, t)
    if not os.path.isfile(path):
        return None
    with h5py.File(path, "r") as f:
        p = f["predictions"][()][0]
        return dict(pred=float(p["predicted_final"]) - 1, low=float(p["low"]) - 1,
                    high=float(p["high"]) - 1, seen=int(p["observed_size"]) - 1,
                    nstar=float(f.attrs["branching_factor"]), events=int(f.attrs["n_events"]),
                    converged=int(f.attrs["converged"]), hessian_ok=int(f.attrs["hessian_ok"]))


def analyse(h5, ctx):
    rep = common.Report(KEY, TITLE)
    with h5py.File(h5, "r") as f:
        pr = f["predictions"][()]
    pr = pr[np.argsort(pr["at"], kind="stable")]
    rep.notes.append(
        f"One tweet, {FINAL:,} retweets (seismic_tweet.csv). SEISMIC with its R package's "
        "defaults (memory kernel theta 0.2315, flat 300 s; n* = 100; 90% interval from the "
        "package's p.low/p.up); evently's mEXP and mPL fitted by maximum likelihood to the "
        "retweets seen up to t, predicting observed + a1 / (1 - n*) with n* from the tweet's "
        "own retweeters. Counts are retweets (the original post left out).")
    ts, seis, hk = [], [], {"mEXP": [], "mPL": []}
    for row in pr:
        t = float(row["at"])
        pred = float(row["predicted_final"]) - 1
        lo, hi = float(row["low"]) - 1, float(row["high"]) - 1
        seen = int(row["observed_size"]) - 1
        ts.append(t)
        seis.append((pred, lo, hi))
        ref = R_PINNED.get(int(t), math.nan)
        setting = f"t = {t:g} s ({seen:,} seen)"
        est = common.Estimate(pred, math.nan, lo, hi, 1, 0)
        if math.isinf(ref):  # agrees() needs finite numbers: infinity is compared here
            note = ("rtcascade infinite too (p_t > 1/n*)" if math.isinf(pred) else
                    "**rtcascade finite where R is infinite**")
            rep.rows.append(common.Row("SEISMIC", "predicted retweets", setting, ref, est,
                                       source="R seismic 1.1", check=False, note=note))
        else:
            rep.rows.append(common.Row("SEISMIC", "predicted retweets", setting, ref, est,
                                       source="R seismic 1.1", check=math.isfinite(ref),
                                       allow=REL * abs(ref) if math.isfinite(ref) else 0.0))
        rep.rows.append(common.Row("SEISMIC", "predicted retweets vs final", setting, FINAL,
                                   est, source="data", check=False,
                                   note=_error_note(pred, FINAL, "infinite (p_t > 1/n*)")))
        for kind in ("mEXP", "mPL"):
            r = _read_hawkes(h5, kind, t)
            hk[kind].append(r)
            if r is None:
                continue
            e = common.Estimate(r["pred"], math.nan, r["low"], r["high"], 1, 0)
            rep.rows.append(common.Row(kind, "predicted retweets vs final", setting, FINAL, e,
                                       source="data", check=False,
                                       note=f"n* {r['nstar']:.6g}; " + _fit_note(r) +
                                       _error_note(r["pred"], FINAL, "infinite (n* >= 1)")))
    rep.figures += _figure(ts, seis, hk, ctx)
    return rep


def _error_note(pred, final, infinite):
    if not math.isfinite(pred):
        return infinite
    return f"error {100 * (pred - final) / final:+.1f}%"


def _fit_note(r):
    if not r["converged"]:
        return "fit not converged; "
    return "" if r["hessian_ok"] else "singular information; "


def _figure(ts, seis, hk, ctx):
    fig, ax = common.new_figure()
    t = np.asarray(ts)
    v = np.array([s[0] for s in seis])
    lo = np.array([s[1] for s in seis])
    hi = np.array([s[2] for s in seis])
    ok = np.isfinite(v)
    ax.errorbar(t[ok], v[ok], yerr=[v[ok] - lo[ok], hi[ok] - v[ok]], fmt="o-", ms=4, capsize=2,
                label="SEISMIC (90% interval)")
    for kind, marker in (("mEXP", "s"), ("mPL", "^")):
        pts = [(ti, r["pred"]) for ti, r in zip(ts, hk[kind]) if r and math.isfinite(r["pred"])]
        if pts:
            ax.plot(*zip(*pts), marker + "--", ms=5, label=f"{kind} fitted to the first t")
    ax.axhline(FINAL, color="0.2", lw=1.2, label=f"final: {FINAL:,} retweets")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("observation time t (s)")
    ax.set_ylabel("predicted final retweets")
    common.grid(ax)
    common.title(ax, "One tweet's final popularity predicted at t",
                 "infinite predictions (p_t > 1/n*, or n* >= 1) are left out")
    ax.legend(fontsize=8)
    return common.save(fig, ctx, "seismic2015_predictions")
