"""Observed against simulated: the figures of a fit file (rtcascade fit, docs/fit.md) -- the
CCDF of cascade sizes and the growth curve N(t) of the observed cascades against simulated
ones, with the fit's numbers in the title. The simulated cascades come from a results file (of
`rtcascade run` with the fit's fitted_model or fitted_config; every finished point is drawn),
or, for a calibration, from the fit file itself (its /simulated and /growth tables).

    from rtcascade import plot
    fit = plot.load_fit("results/auspol_mpl.h5")
    plot.fit_sizes(fit, "results/auspol_mpl_sim.h5")     # Axes
    plot.fit_growth(fit, "results/auspol_mpl_sim.h5")
    plot.fit_figures(fit, results=None, outdir="figs/")  # the paths written

Sizes count the post, as the data do: a simulated run's size is its reshares + 1."""
import os

import h5py
import numpy as np
import pandas as pd

from ._common import _axes, _grid, _legend, _title
from .. import results as _results_mod

FIT_FORMAT = "rtcascade-fit"


def _text(v):
    return v.decode("utf-8", "replace") if isinstance(v, bytes) else v


class Fit:
    """A fit file's tables: attrs, fit (parameter, estimate, ...), sizes (observed, one per
    cascade), and for calibrations simulated (sizes) and growth (observed and simulated N(t));
    Hawkes fits written by this version have growth with the observed curve only."""

    def __init__(self, path):
        self.path = str(path)
        with h5py.File(self.path, "r") as f:
            if _text(f.attrs.get("format", "")) != FIT_FORMAT:
                raise ValueError(f"{self.path}: not an rtcascade fit file")
            self.attrs = {k: _results_mod._attr(v) for k, v in f.attrs.items()}
            self.fit = _results_mod.table(f["fit"])
            self.sizes = f["cascades"]["size"][()].astype(np.int64)
            self.simulated = (f["simulated"]["size"][()].astype(np.int64)
                              if "simulated" in f else None)
            self.growth = _results_mod.table(f["growth"]) if "growth" in f else None

    @property
    def calibration(self):
        return self.attrs.get("method") == "calibrate"


def load_fit(path):
    """A fit file as Fit (attrs, fit, sizes, simulated, growth)."""
    return path if isinstance(path, Fit) else Fit(path)


def is_fit_file(path):
    """True when path is an rtcascade fit file (False for a results file or anything else)."""
    try:
        with h5py.File(str(path), "r") as f:
            return _text(f.attrs.get("format", "")) == FIT_FORMAT
    except OSError:
        return False


def _numbers(fit):
    """The fit's numbers in one or two lines for a subtitle."""
    a = fit.attrs
    parts = []
    for _, row in fit.fit.iterrows():
        name = row["parameter"]
        if name == "n*":
            continue
        parts.append(f"{name} = {row['estimate']:.4g} [{row['ci_low']:.3g}, "
                     f"{row['ci_high']:.3g}]")
    head = f"{a.get('model', '?')}" + (f", {a.get('objective')}" if fit.calibration else "")
    tail = []
    if np.isfinite(a.get("nll", np.nan)):
        tail.append(f"nll {a['nll']:.6g}")
    if np.isfinite(a.get("branching_factor", np.nan)):
        tail.append(f"n* {a['branching_factor']:.3g}")
    if np.isfinite(a.get("ks_size", np.nan)):
        tail.append(f"KS {a['ks_size']:.3f}")
    return f"{head}: " + "; ".join(parts) + (" -- " + ", ".join(tail) if tail else "")


def _simulated_sets(fit, results):
    """[(label, sizes, point or None)] of the simulated cascades to draw."""
    if results is None:
        if fit.simulated is None:
            raise ValueError(f"{fit.path}: holds no simulated cascades (a Hawkes fit): give a "
                             "results file of `rtcascade run` with its fitted_model")
        return [("simulated at the estimate", fit.simulated, None)]
    r = results if isinstance(results, _results_mod.Results) else _results_mod.load(results)
    pts = r.points[r.points["status"] == 1]
    out = []
    for _, row in pts.iterrows():
        runs = r.point_runs(int(row["point"]))
        label = "simulated" if len(pts) == 1 else f"simulated: {row['scenario']} " \
            f"(point {int(row['point'])})"
        out.append((label, runs["retweets"].to_numpy(dtype=np.int64) + 1, int(row["point"])))
    if not out:
        raise ValueError(f"{r.path}: no finished point to compare with")
    return out


def _ccdf(v):
    x = np.sort(v)
    u, first = np.unique(x, return_index=True)
    return u, 1.0 - first / len(x)


def fit_sizes(fit, results=None, ax=None):
    """CCDF P(size >= s) of the observed cascades' sizes against the simulated ones, log-log.
    Returns the Axes."""
    fit = load_fit(fit)
    ax = _axes(ax)
    x, p = _ccdf(fit.sizes)
    ax.step(x, p, where="post", color="black", lw=2.0,
            label=f"observed ({len(fit.sizes):,} cascades, mean {fit.sizes.mean():.3g})")
    colours = ["C0", "C1", "C2", "C3", "C4", "C5"]
    for k, (label, v, _) in enumerate(_simulated_sets(fit, results)):
        x, p = _ccdf(v)
        ax.step(x, p, where="post", color=colours[k % len(colours)], lw=1.4,
                label=f"{label} ({len(v):,} runs, mean {v.mean():.3g})")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("cascade size s (the post and its reshares)")
    ax.set_ylabel("P(size >= s)")
    _grid(ax)
    _legend(ax, 2, always=True)
    _title(ax, "Observed vs simulated cascade sizes", _numbers(fit))
    return ax


def _simulated_growth(fit, results):
    """[(label, DataFrame t, mean, low, high)] of the simulated growth curves."""
    if results is None:
        g = fit.growth
        if g is None or not len(g) or not np.any(np.isfinite(g["simulated"])):
            raise ValueError(f"{fit.path}: holds no simulated growth curve (an untimed model, "
                             "or a Hawkes fit: give a results file)")
        return [("simulated at the estimate", pd.DataFrame({
            "t": g["t"], "mean": g["simulated"], "low": g["simulated_low"],
            "high": g["simulated_high"]}))]
    r = results if isinstance(results, _results_mod.Results) else _results_mod.load(results)
    g = r.curves(kind="growth")
    if not len(g):
        raise ValueError(f"{r.path}: no growth curve (an untimed model, or a file of format 1)")
    out = []
    for p, rows in g.groupby("point"):
        out.append((f"simulated (point {int(p)})" if g["point"].nunique() > 1 else "simulated",
                    pd.DataFrame({"t": rows["t"], "mean": rows["n_mean"], "low": rows["n_low"],
                                  "high": rows["n_high"]})))
    return out


def fit_growth(fit, results=None, ax=None):
    """Mean N(t) -- events by time t, the post included -- of the observed cascades against the
    simulated ones (with the 95% band of their mean), log time axis. Returns the Axes."""
    fit = load_fit(fit)
    ax = _axes(ax)
    g = fit.growth
    sims = _simulated_growth(fit, results)
    # from the grid time before anything happens after the post (observed or simulated)
    start = np.inf
    for t, v in ([(g["t"].to_numpy(), g["observed"].to_numpy())] if g is not None and len(g)
                 else []) + [(s["t"].to_numpy(), s["mean"].to_numpy()) for _, s in sims]:
        moved = np.flatnonzero((t > 0) & (v > v[0] + 1e-12))
        if len(moved):
            start = min(start, t[max(moved[0] - 1, 1)] if moved[0] > 1 else t[moved[0]])
    if g is not None and len(g):
        keep = (g["t"] > 0) & (g["t"] >= start)
        ax.plot(g["t"][keep], g["observed"][keep], color="black", lw=2.0, label="observed")
    colours = ["C0", "C1", "C2", "C3", "C4", "C5"]
    for k, (label, s) in enumerate(sims):
        s = s[(s["t"] > 0) & (s["t"] >= start)]
        c = colours[k % len(colours)]
        ax.plot(s["t"], s["mean"], color=c, lw=1.4, label=label)
        ax.fill_between(s["t"], s["low"], s["high"], color=c, alpha=0.25, lw=0)
    ax.set_xscale("log")
    ax.set_xlabel("time since the post, t (s)")
    ax.set_ylabel("mean N(t): events by t")
    _grid(ax)
    _legend(ax, 2, always=True)
    _title(ax, "Observed vs simulated growth N(t)", _numbers(fit))
    return ax


def fit_figures(fit, results=None, outdir=None, formats=("png", "pdf"), errors=None):
    """Draws fit_sizes and, when there is a simulated growth curve, fit_growth into outdir
    (default: <fit file without .h5>_figures/). Returns the paths; a figure that cannot be
    drawn is reported in `errors` (a list, when given) with the reason."""
    import matplotlib.pyplot as plt
    from .figures import save
    fit = load_fit(fit)
    outdir = outdir or os.path.splitext(fit.path)[0] + "_figures"
    paths = []
    for stem, fn in (("fit_sizes", fit_sizes), ("fit_growth", fit_growth)):
        try:
            ax = fn(fit, results)
            paths += save(ax.figure, outdir, stem, formats)
        except ValueError as e:
            plt.close("all")
            if errors is None:
                raise
            errors.append(f"{stem}: {e}")
    return paths


__all__ = ["Fit", "load_fit", "is_fit_file", "fit_sizes", "fit_growth", "fit_figures"]
