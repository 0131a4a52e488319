#!/usr/bin/python3
"""Figures of an rtcascade results file (docs/results-format.md): CCDFs of reach and retweets,
means with 95% confidence bands against a swept parameter, heat maps of two-parameter sweeps,
mean reshares per generation, completion times of timed models, and structural virality
against cascade size; one colour per scenario across all of them.

As a command (writes PNG at 150 dpi and PDF, prints the paths):

    /usr/bin/python3 scripts/rcplot.py results/study.h5 [-o OUTDIR] [--format png,pdf]
        [--metric reach[,retweets]] [--x model.p] [--where key=value ...]
        [--kind ccdf|mean|heatmap|generations|time|virality|all]

OUTDIR defaults to <results file without .h5>_figures/ beside the file. `all` (the default)
writes every figure that makes sense for the file and skips the rest, saying why.

As a module (each function takes a loaded rcload.Results or a path, an optional Axes, and
returns the Axes, or the Figure for multi-panel plots):

    import sys; sys.path.insert(0, "scripts"); import rcplot
    r = rcplot.load("results/study.h5")
    rcplot.ccdf(r, "reach", where={"model.p": 0.1})
    rcplot.mean_vs(r, "model.p", "retweets")
    rcplot.heatmap(r, "model.p", "seeds.count", "reach")
    rcplot.generations(r); rcplot.virality_vs_size(r); rcplot.timing(r)
    rcplot.crossing(r, "model.p", "reach", "handpicked", "broadcast")   # [Crossing(x, y, ...)]
    rcplot.plot_all(r, "figures/")                                        # list of paths

Where a figure shows one point per scenario and the file sweeps keys, each swept key that the
caller does not fix with where={key: value} is held at its middle value, and the figure says
which. Only finished points are drawn, so an interrupted file plots what it holds.
"""
import argparse
import itertools
import math
import os
import re
import sys
import textwrap
from collections import namedtuple

import matplotlib

# Headless by default (ctest, ssh, the study job); a notebook sets MPLBACKEND itself.
if not os.environ.get("MPLBACKEND") and not os.environ.get("DISPLAY"):
    matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import colors as mcolors  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rcload  # noqa: E402

DPI = 150
FORMATS = ("png", "pdf")
KINDS = ("ccdf", "mean", "heatmap", "generations", "time", "virality")

# Axis labels say what is counted and in which unit; unknown metrics fall back to their name.
METRIC_LABELS = {
    "reach": "reach (accounts shown the post)",
    "retweets": "retweets (reshares)",
    "size": "cascade size (accounts in the cascade)",
    "depth": "depth (longest reshare chain, hops)",
    "max_breadth": "max breadth (most reshares in one generation)",
    "virality": "structural virality (mean path length)",
    "final_time": "time of the last reshare (s)",
    "t50": "time to half the final size (s)",
    "t90": "time to 90% of the final size (s)",
    "reach_per_member": "reach / audience size (per member)",
    "p_global": "P(global cascade) (fraction of runs)",
}
METRIC_NAMES = {"max_breadth": "max breadth", "virality": "structural virality",
                "final_time": "time of the last reshare", "t50": "time to half size",
                "t90": "time to 90% size", "reach_per_member": "reach per audience member",
                "p_global": "P(global cascade)", "size": "cascade size"}
PARAM_LABELS = {
    "model.p": "reshare probability p",
    "model.engagement": "engagement factor",
    "model.kappa": "reshares per follower^beta (kappa)",
    "model.beta": "follower-count exponent beta",
    "model.phi": "threshold phi (fraction of followees)",
    "audience.engagement": "engagement: P(an audience member reshares)",
    "audience.size": "audience size (followers of the author)",
    "audience.pick": "how the audience is picked",
    "seeds.count": "seeds per run",
    "seeds.strategy": "seed strategy",
    "network.nodes": "accounts in the network",
    "network.mean_degree": "mean follows per account",
    "network.mixing": "community mixing (fraction of edges between circles)",
}
CCDF_QUESTIONS = {
    "reach": "How often is a post shown to at least x accounts?",
    "retweets": "How often does a post get at least x retweets?",
    "size": "How often does a cascade reach x resharers?",
    "virality": "How often is structural virality at least x?",
}
# Default metrics of the figures; reach_per_member joins them when the file has it.
DEFAULT_METRICS = ("reach", "retweets", "reach_per_member")

Crossing = namedtuple("Crossing", "x y a b above")
Crossing.__doc__ = ("Where the mean curves of scenarios a and b cross: at parameter value x, "
                    "both at mean y; `above` is the scenario that is higher to the right.")


# ----------------------------------------------------------------------------- helpers

def load(path):
    """Opens a results file with rcload (so the figures and rcload agree on every column)."""
    return rcload.load(path)


def _results(obj):
    if isinstance(obj, (str, os.PathLike)):
        return rcload.load(obj)
    return obj


def _points(r):
    """r.points (the /points-/summary join), made once per Results: every figure asks for it
    many times."""
    if "_rcplot_points" not in r.__dict__:
        r.__dict__["_rcplot_points"] = r.points
    return r.__dict__["_rcplot_points"]


def metric_label(metric):
    return METRIC_LABELS.get(metric, metric)


def metric_name(metric):
    return METRIC_NAMES.get(metric, metric)


def param_label(key):
    """'reshare probability p (model.p)': what the key means, and the key itself."""
    base = key[len("swept:"):] if key.startswith("swept:") else key
    return f"{PARAM_LABELS[base]} ({base})" if base in PARAM_LABELS else base


def _fmt(v):
    if isinstance(v, (float, np.floating)):
        if not math.isfinite(v):
            return str(v)
        if float(v).is_integer() and abs(v) < 1e7:
            return str(int(v))
        return f"{v:.3g}"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    return str(v)


def _slug(text):
    return re.sub(r"[^A-Za-z0-9]+", "_", str(text)).strip("_")


def scenario_order(r):
    """Scenario names in config order (the file's `scenarios` attribute), then any others."""
    names = list(r.scenarios)
    pts = _points(r)
    for s in pts["scenario"] if "scenario" in pts.columns else []:
        if s not in names:
            names.append(s)
    return names or ["base"]


def scenario_colours(r):
    """{scenario: colour}, fixed by the scenario's position in the config, so a scenario keeps
    its colour in every figure of the file."""
    cycle = plt.rcParams["axes.prop_cycle"].by_key().get("color") or ["C0"]
    return {s: cycle[i % len(cycle)] for i, s in enumerate(scenario_order(r))}


def _swept_columns(r):
    """The /points column of each swept key ('key', or 'swept:key' where it clashed)."""
    cols = []
    pts = _points(r)
    for k in r.swept_keys:
        for c in (k, f"swept:{k}"):
            if c in pts.columns:
                cols.append(c)
                break
    return cols


def _column(r, key):
    pts = _points(r)
    for c in (key, f"swept:{key}"):
        if c in pts.columns:
            return c
    raise ValueError(f"'{key}' is not a swept key of {r.path} (swept: "
                     f"{', '.join(r.swept_keys) or 'none'})")


def _numeric(series):
    return pd.api.types.is_numeric_dtype(series)


def _ordered_values(series):
    """Distinct values in a sensible order: sorted numbers, strings in order of appearance."""
    vals = series.dropna()
    if _numeric(vals):
        return sorted(set(vals.astype(float).tolist()))
    return list(dict.fromkeys(vals.tolist()))


def _zip(r):
    return str(r.attrs.get("sweep_mode", "grid")) == "zip"


def _done(r):
    pts = _points(r)
    return pts[pts["status"] == 1].reset_index(drop=True)


def _progress_note(r):
    pts = _points(r)
    done, total = int((pts["status"] == 1).sum()), len(pts)
    return "" if done == total else f" (incomplete file: {done} of {total} points done)"


def _match(series, value, key):
    """Rows of a column equal to value: strings exactly, numbers to within 1% (so a value typed
    with fewer digits finds its point), else a ValueError naming the values there are."""
    if _numeric(series):
        try:
            v = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{key} = {value!r}: {key} takes numbers") from None
        x = series.astype(float).to_numpy()
        if not len(x):
            return np.zeros(0, bool)
        nearest = x[np.nanargmin(np.abs(x - v))]
        if abs(nearest - v) > 0.01 * max(abs(v), abs(nearest)) and nearest != v:
            raise ValueError(f"{key} = {_fmt(v)} is not a point of the file (values: "
                             f"{', '.join(_fmt(a) for a in _ordered_values(series))})")
        return x == nearest
    m = series.astype(str).to_numpy() == str(value)
    if not m.any() and len(series):
        raise ValueError(f"{key} = {value!r} is not a point of the file (values: "
                         f"{', '.join(map(str, _ordered_values(series)))})")
    return m


def _filter(r, df, where):
    """df narrowed by where ({swept key or 'scenario': value})."""
    for key, value in (where or {}).items():
        col = "scenario" if key == "scenario" else _column(r, key)
        df = df[_match(df[col], value, key)]
    return df


def _hold(r, df, where, free=()):
    """df narrowed by where, then every swept key not in `free` that still has several values
    held at its middle one. Returns (rows, {key: value held or fixed})."""
    df = _filter(r, df, where)
    fixed = {}
    free_cols = {_column(r, k) for k in free}
    where_cols = _where_cols(r, where)
    for col in _swept_columns(r):
        if col in free_cols:
            continue
        vals = _ordered_values(df[col])
        if len(vals) > 1:
            # the middle value; in an interrupted file, the value with most finished points
            # (so a curve has as many as the file holds), nearest the middle among those
            mid = len(vals) // 2
            count = [int(_match(df[col], v, col).sum()) for v in vals]
            best = max(range(len(vals)), key=lambda i: (count[i], -abs(i - mid)))
            fixed[col] = vals[best]
            df = df[_match(df[col], fixed[col], col)]
        elif len(vals) == 1 and col in where_cols:
            fixed[col] = vals[0]
    return df, fixed


def _where_cols(r, where):
    return {("scenario" if k == "scenario" else _column(r, k)) for k in (where or {})}


def _held_text(fixed):
    return ", ".join(f"{k} = {_fmt(v)}" for k, v in fixed.items())


def _scenarios_in(r, where):
    names = scenario_order(r)
    if where and "scenario" in where:
        names = [s for s in names if s == str(where["scenario"])]
    return names


def _one_point_per_scenario(r, where):
    """[(scenario, point row, held)] for each scenario with a finished point matching where."""
    done = _done(r)
    out = []
    w = {k: v for k, v in (where or {}).items() if k != "scenario"}
    for s in _scenarios_in(r, where):
        rows, held = _hold(r, done[done["scenario"] == s], w)
        if len(rows):
            out.append((s, rows.iloc[0], held))
    return out


def _positive(values):
    v = np.asarray(values, dtype=float)
    return v[np.isfinite(v) & (v > 0)]


def _spans(values, decades):
    """True when the positive values span at least `decades` factors of ten."""
    v = _positive(values)
    return len(v) > 1 and v.max() >= v.min() * 10 ** decades * (1 - 1e-9)


def _log_sweep(values):
    """True when sweep values belong on a log axis: all positive and either spanning more than
    1.5 decades or evenly spaced in log (a `log: true` range) over half a decade or more."""
    v = np.unique(np.asarray(values, dtype=float))
    v = v[np.isfinite(v)]
    if len(v) < 2 or (v <= 0).any():
        return False
    if _spans(v, 1.5):
        return True
    if len(v) >= 3 and _spans(v, 0.5):
        dl, dx = np.diff(np.log(v)), np.diff(v)
        return dl.max() < 1.05 * dl.min() and dx.max() > 1.5 * dx.min()
    return False


def _axes(ax, figsize=(6.8, 4.6)):
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _title(ax, main, sub=""):
    """A title saying what is compared, and below it a smaller wrapped line saying at what."""
    lines = textwrap.wrap(sub, 92) if sub else []
    ax.set_title(main, fontsize=11, pad=6 + 10.5 * len(lines))
    if lines:
        ax.annotate("\n".join(lines), xy=(0.5, 1), xycoords="axes fraction", xytext=(0, 5),
                    textcoords="offset points", ha="center", va="bottom", fontsize=8.5,
                    color="0.3")


def _legend(ax, n, always=False, **kw):
    """A legend, unless its one entry would only say 'base' (a file without scenarios)."""
    labels = [h.get_label() for h in ax.get_lines() + ax.collections
              if not h.get_label().startswith("_")]
    if n > 1 or always or (labels and labels != ["base"]):
        ax.legend(fontsize=9, frameon=False, **kw)


def _ylabel(ax, text):
    """A y label, on two lines when it would not fit beside a figure of ordinary height."""
    ax.set_ylabel("\n".join(textwrap.wrap(text, 48)))


def _grid(ax):
    ax.grid(True, which="major", alpha=0.3)
    ax.grid(True, which="minor", alpha=0.08)


def _scenario_word(names):
    return "scenario" if len(names) == 1 and names[0] == "base" else "scenarios"


def _mean_se(df, metric):
    """(mean column, se column or None) of a metric in /summary."""
    mean = f"{metric}_mean" if f"{metric}_mean" in df.columns else metric
    if mean not in df.columns:
        raise ValueError(f"no summary of '{metric}' in the file (metrics: "
                         f"{', '.join(summary_metrics(df))})")
    se = f"{metric}_se"
    return mean, (se if se in df.columns else None)


def summary_metrics(df):
    """Metrics with a mean in a /summary-like table, and p_global."""
    out = [c[:-5] for c in df.columns if c.endswith("_mean") and c != "adoptions_mean"]
    return out + [c for c in ("p_global",) if c in df.columns]


def _has_values(series):
    return series.notna().any()


# ----------------------------------------------------------------------------- figures

def ccdf(results, metric="reach", by="scenario", where=None, ax=None):
    """Empirical CCDF P(X >= x) of a per-run metric (a /runs column: reach, retweets, size,
    depth, virality, ...), one line per scenario at one point each (see the module note on
    held keys), or with by=<swept key> one line per value of that key (colour) and scenario
    (line style). Log-log when the values span a decade; runs at 0 cannot sit on a log axis
    and are counted in the legend instead. Returns the Axes."""
    r = _results(results)
    runs = r.runs
    if metric not in runs.columns:
        raise ValueError(f"'{metric}' is not a per-run metric (runs columns: "
                         f"{', '.join(c for c in runs.columns if c not in ('point', 'run'))})")
    ax = _axes(ax)
    colours = scenario_colours(r)
    if by == "scenario":
        chosen = [(s, row, held, colours.get(s), "-") for s, row, held in
                  _one_point_per_scenario(r, where)]
    else:
        chosen = _by_value(r, by, where)
    groups = {int(p): g[metric].to_numpy(dtype=float) for p, g in runs.groupby("point")}
    series = []
    for s, row, held, colour, style in chosen:
        v = groups.get(int(row["point"]), np.zeros(0))
        v = v[np.isfinite(v)]
        if len(v):
            series.append((s, row, held, colour, style, v))
    note = _progress_note(r)
    if not series:
        ax.text(0.5, 0.5, "no finished runs to show" + note, ha="center", va="center",
                transform=ax.transAxes)
        return ax
    allv = np.concatenate([v for *_, v in series])
    logx = _spans(allv, 1)  # a CCDF's tail reads best in log-log from one decade on
    helds = [_held_text(h) for _, _, h, *_ in series]
    same_held = len(set(helds)) == 1
    for s, row, held, colour, style, v in series:
        x, p = _ccdf_points(v)
        label = s if by == "scenario" else f"{s}, {by} = {_fmt(row[_column(r, by)])}"
        if not same_held and by == "scenario":
            label += f" ({_held_text(held)})"
        if logx:
            zero = float(np.mean(v <= 0))
            keep = x > 0
            x, p = x[keep], p[keep]
            if zero > 0:
                label += f"; {zero:.0%} of runs at 0"
        if len(x) == 1:
            ax.plot(x, p, marker="o", color=colour, linestyle="none", label=label)
        else:
            ax.plot(x, p, color=colour, linestyle=style, lw=1.6, label=label,
                    drawstyle="steps-pre" if not logx else "default")
    if logx:
        ax.set_xscale("log")
    # log y once the tail holds less than 5% of runs; a CCDF that never gets there reads
    # better on a linear axis
    lows = [p.min() for line in ax.get_lines() for p in [np.asarray(line.get_ydata(), float)]
            if len(p)]
    if lows and min(lows) < 0.05:
        ax.set_yscale("log")
    else:
        ax.set_ylim(0, 1.05)
    if len(np.unique(allv)) == 1:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlim(allv[0] - 1, allv[0] + 1)
        ax.text(0.5, 0.35, f"every run has {metric_name(metric)} = {_fmt(allv[0])}",
                ha="center", va="center", transform=ax.transAxes, fontsize=10, color="0.3")
    ax.set_xlabel(metric_label(metric))
    _ylabel(ax, f"P({metric_name(metric)} ≥ x) (fraction of runs)")
    names = [s for s, *_ in series]
    n_runs = sorted({len(v) for *_, v in series})
    sub = (f"at {helds[0]}; " if same_held and helds[0] else "") + \
        f"{'/'.join(map(str, n_runs))} runs per line{note}"
    what = f", by {by}" if by != "scenario" else (", per scenario" if names != ["base"] else "")
    _title(ax, f"{CCDF_QUESTIONS.get(metric, f'How often is {metric_name(metric)} ≥ x?')}"
           f" (CCDF{what})", sub)
    _grid(ax)
    _legend(ax, len(series), always=any("runs at 0" in (line.get_label() or "")
                                        for line in ax.get_lines()))
    return ax


def _ccdf_points(v):
    v = np.sort(np.asarray(v, dtype=float))
    x, first = np.unique(v, return_index=True)
    return x, (len(v) - first) / len(v)


def _by_value(r, key, where):
    """Lines for ccdf(by=key): every value of key, per scenario; colour by value (viridis),
    line style by scenario."""
    col = _column(r, key)
    done = _done(r)
    vals = _ordered_values(done[col])
    cmap = plt.get_cmap("viridis")
    styles = ["-", "--", ":", "-."]
    out = []
    w = {k: v for k, v in (where or {}).items() if k != "scenario"}
    for si, s in enumerate(_scenarios_in(r, where)):
        rows, held = _hold(r, done[done["scenario"] == s], w, free=(key,))
        for vi, v in enumerate(vals):
            sel = rows[_match(rows[col], v, key)] if len(rows) else rows
            if len(sel):
                c = cmap(0.05 + 0.85 * vi / max(1, len(vals) - 1))
                out.append((s, sel.iloc[0], held, c, styles[si % len(styles)]))
    return out


def _curves_by_scenario(r, param, metric, where):
    """{scenario: DataFrame sorted by param with columns x, mean, se} and the held keys."""
    col = _column(r, param)
    done = _done(r)
    mean, se = _mean_se(done, metric)
    w = {k: v for k, v in (where or {}).items() if k != "scenario"}
    # keys of a zip sweep vary together: holding the others would leave one point
    free = r.swept_keys if _zip(r) else (param,)
    out, helds = {}, []
    for s in _scenarios_in(r, where):
        rows, held = _hold(r, done[done["scenario"] == s], w, free=free)
        if not len(rows):
            continue
        d = pd.DataFrame({"x": rows[col].to_numpy(),
                          "mean": rows[mean].to_numpy(dtype=float),
                          "se": rows[se].to_numpy(dtype=float) if se else np.nan})
        if _numeric(rows[col]):
            d = d.sort_values("x")
        if not np.isfinite(d["mean"].to_numpy(dtype=float)).any():
            continue  # a metric this scenario does not have (reach_per_member without audience)
        out[s] = d.reset_index(drop=True)
        helds.append(_held_text(held))
    return out, helds


def crossing(data, param, metric="reach", a=None, b=None, where=None, logx=None,
             min_z=None, logy=False):
    """Where the mean curves of scenarios a and b (default: the first two) cross along a swept
    parameter, by linear interpolation between neighbouring sweep values (in log x when
    logx, or by default on a log-spaced sweep: see _log_sweep). `data` is a results
    file (other swept keys held as in mean_vs) or a DataFrame with columns scenario, param and
    <metric>_mean (or metric), and optionally <metric>_se, one row per scenario and value.
    With min_z (e.g. 1.96), only real changes of lead count: the difference must exceed
    min_z standard errors at some value on each side, and a wiggle of noise between two such
    values gives one crossing (the one nearest the middle). logy interpolates the logarithms
    of the means (where the straight segments of a log-y plot cross; positive means only).
    Returns a list of Crossing(x, y, a, b, above), sorted by x; empty when they do not
    cross."""
    if isinstance(data, pd.DataFrame):
        mean, se = _mean_se(data, metric)
        df = data
        for key, value in (where or {}).items():
            df = df[_match(df[key], value, key)]
        curves = {}
        for s, g in df.groupby("scenario", sort=False):
            if g[param].duplicated().any():
                raise ValueError(f"scenario {s} has several rows per {param}: narrow it with "
                                 "where=")
            curves[s] = pd.DataFrame({
                "x": g[param].to_numpy(dtype=float), "mean": g[mean].to_numpy(dtype=float),
                "se": g[se].to_numpy(dtype=float) if se else np.nan}).sort_values("x")
    else:
        r = _results(data)
        if not _numeric(_points(r)[_column(r, param)]):
            return []
        curves, _ = _curves_by_scenario(r, param, metric, where)
    order = list(curves)
    if a is None or b is None:
        rest = [s for s in order if s not in (a, b)]
        a = a if a is not None else rest.pop(0) if rest else None
        b = b if b is not None else rest.pop(0) if rest else None
    if a not in curves or b not in curves:
        raise ValueError(f"crossing needs two scenarios with finished points; have "
                         f"{', '.join(map(str, curves)) or 'none'}")
    m = curves[a].merge(curves[b], on="x", suffixes=("_a", "_b")).dropna(
        subset=["mean_a", "mean_b"])
    x = m["x"].to_numpy(dtype=float)
    ya, yb = m["mean_a"].to_numpy(dtype=float), m["mean_b"].to_numpy(dtype=float)
    if logx is None:
        logx = _log_sweep(x)
    t = np.log(x) if logx else x
    logy = logy and (ya > 0).all() and (yb > 0).all()
    d = np.log(ya) - np.log(yb) if logy else ya - yb
    raw = _sign_changes(t, d, np.log(ya) if logy else ya)
    if min_z is not None:
        sd = np.hypot(m["se_a"].to_numpy(dtype=float), m["se_b"].to_numpy(dtype=float))
        if logy:  # the delta method: se of log(mean) = se / mean
            sd = np.hypot(m["se_a"].to_numpy(dtype=float) / ya,
                          m["se_b"].to_numpy(dtype=float) / yb)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(sd > 0, np.abs(d) / sd, np.where(d != 0, np.inf, 0.0))
        sig = [i for i in range(len(d)) if z[i] >= min_z]  # NaN se: never significant
        kept = []
        for j, k in zip(sig, sig[1:]):
            if np.sign(d[j]) != np.sign(d[k]):
                between = [c for c in raw if t[j] <= c[0] <= t[k]]
                if between:
                    mid = (t[j] + t[k]) / 2
                    kept.append(min(between, key=lambda c: abs(c[0] - mid)))
        raw = kept
    return [Crossing(float(np.exp(tc)) if logx else float(tc),
                     float(np.exp(yc)) if logy else float(yc), a, b, a if up else b)
            for tc, yc, up in raw]


def _sign_changes(t, d, y):
    """[(t, y, a_above_after)] where d changes sign between neighbouring sweep values, by
    linear interpolation; a stretch of exact ties counts once, at its middle."""
    nz = [i for i in range(len(d)) if d[i] != 0 and np.isfinite(d[i])]
    out = []
    for j, k in zip(nz, nz[1:]):
        if np.sign(d[j]) == np.sign(d[k]):
            continue
        if k == j + 1:
            f = d[j] / (d[j] - d[k])
            out.append((t[j] + f * (t[k] - t[j]), y[j] + f * (y[k] - y[j]), d[k] > 0))
        else:
            i = (j + k) // 2 if (k - j) % 2 == 0 else None
            if i is not None:
                out.append((t[i], y[i], d[k] > 0))
            else:  # an even number of tied values: between the middle two
                lo = (j + k) // 2
                out.append(((t[lo] + t[lo + 1]) / 2, (y[lo] + y[lo + 1]) / 2, d[k] > 0))
    return out


def mean_vs(results, param, metric="reach", where=None, ax=None, annotate=True):
    """Mean of a metric (any /summary metric: reach, retweets, virality, p_global,
    reach_per_member, ...) against a swept parameter, one line per scenario, with the 95%
    confidence band mean ± 1.96·SE; other swept keys held (module note). Log x when the
    sweep is logarithmic (spans 1.5 decades, or log-spaced over one), log y when the means
    span two decades. With annotate, marks where scenario curves cross (significantly: see
    crossing's min_z). Returns the Axes."""
    r = _results(results)
    curves, helds = _curves_by_scenario(r, param, metric, where)
    ax = _axes(ax)
    colours = scenario_colours(r)
    col = _column(r, param)
    numeric = _numeric(_points(r)[col])
    note = _progress_note(r)
    if not curves:
        ax.text(0.5, 0.5, "no finished points to show" + note, ha="center", va="center",
                transform=ax.transAxes)
        return ax
    allx = np.concatenate([c["x"].to_numpy() for c in curves.values()]) if numeric else []
    logx = numeric and _log_sweep(allx)
    cats = _ordered_values(_points(r)[col]) if not numeric else None
    allm = np.concatenate([c["mean"].to_numpy() for c in curves.values()])
    ylog = _spans(allm, 2)
    for s, c in curves.items():
        x = c["x"].to_numpy(dtype=float) if numeric else np.array(
            [cats.index(v) for v in c["x"]], dtype=float)
        m, se = c["mean"].to_numpy(), c["se"].to_numpy()
        keep = np.isfinite(m)
        x, m, se = x[keep], m[keep], se[keep]
        if not numeric:  # categories: no line between them; scenarios side by side
            k = list(curves).index(s)
            x = x + 0.08 * (k - (len(curves) - 1) / 2)
            ax.errorbar(x, m, yerr=np.where(np.isfinite(se), 1.96 * se, 0), fmt="o", ms=7,
                        capsize=5, lw=1.8, color=colours.get(s), label=s)
            continue
        ax.plot(x, m, marker="o", ms=4, lw=1.8, color=colours.get(s), label=s)
        if len(x) == 1 and np.isfinite(se).all():
            ax.errorbar(x, m, yerr=1.96 * se, color=colours.get(s), capsize=5, lw=1.5)
        elif np.isfinite(se).any():
            lo, hi = m - 1.96 * se, m + 1.96 * se
            if ylog:  # a band reaching 0 would drag a log axis down: clip it at the axis floor
                lo = np.maximum(lo, _positive(allm).min() / 3)
            ax.fill_between(x, lo, hi, color=colours.get(s), alpha=0.2, lw=0)
    if logx:
        ax.set_xscale("log")
    if ylog:
        if (allm[np.isfinite(allm)] <= 0).any():
            ax.set_yscale("symlog", linthresh=_positive(allm).min())
        else:
            ax.set_yscale("log")
    if not numeric:
        ax.set_xticks(range(len(cats)), [str(v) for v in cats])
    elif len(np.unique(allx)) <= 8:  # few sweep values: label exactly those
        ux = np.unique(np.asarray(allx, dtype=float))
        ax.set_xticks(ux, [_fmt(v) for v in ux], rotation=30 if len(ux) > 5 else 0)
        ax.set_xticks([], minor=True)
    if not ylog and np.nanmax(np.abs(allm)) == 0:
        ax.set_ylim(-0.05, 1)  # all zero: keep 0 near the bottom, not mid-axis
    crossed = ""
    if annotate and numeric and len(curves) > 1:
        crossed = _annotate_crossings(ax, r, param, metric, where, list(curves), logx,
                                      ax.get_yscale() == "log")
    ax.set_xlabel(param_label(param))
    _ylabel(ax, "mean " + metric_label(metric))
    same = len(set(helds)) == 1
    band = "band: 95% confidence interval (mean ± 1.96 SE)"
    runs = sorted({int(v) for v in _points(r)["runs"].dropna()}) if "runs" in _points(r) else []
    per = f"; {'/'.join(map(str, runs))} runs per point" if runs else ""
    paired = [k for k in r.swept_keys if k != param] if _zip(r) else []
    sub = (f"at {helds[0]}; " if same and helds[0] else "") + \
        (f"{', '.join(paired)} paired with it (zip sweep); " if paired else "") + \
        band + per + note + (f". Crossings (X): {crossed}" if crossed else "")
    names = list(curves)
    by = f", by {_scenario_word(names)[:-1]}" if names != ["base"] else ""
    _title(ax, f"Mean {metric_name(metric)} vs {param}{by}", sub)
    _grid(ax)
    _legend(ax, len(curves))
    return ax


def _annotate_crossings(ax, r, param, metric, where, names, logx, logy):
    """Marks up to four significant crossings between pairs of scenarios (an X, a dotted line
    and its x value at the foot of the line) and returns a sentence naming them."""
    found = []
    for a, b in itertools.combinations(names, 2):
        try:
            found += crossing(r, param, metric, a, b, where=where, logx=logx, min_z=1.96,
                              logy=logy)
        except ValueError:
            continue
    found = sorted(found, key=lambda c: c.x)[:4]
    for c in found:
        ax.axvline(c.x, color="0.35", lw=0.9, ls=":", zorder=1)
        ax.plot([c.x], [c.y], marker="X", ms=9, color="black", zorder=5, linestyle="none")
        ax.annotate(_fmt(c.x), xy=(c.x, 0), xycoords=("data", "axes fraction"),
                    xytext=(3, 4), textcoords="offset points", fontsize=8, color="0.2",
                    bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.8))
    return "; ".join(f"{c.above} overtakes {c.b if c.above == c.a else c.a} at {param} ≈ "
                     f"{_fmt(c.x)}" for c in found)


def mean_by_scenario(results, metric="reach", where=None, ax=None):
    """Mean of a metric per scenario with its 95% confidence interval (for files without a
    sweep, or at held sweep values). Returns the Axes."""
    r = _results(results)
    chosen = _one_point_per_scenario(r, where)
    ax = _axes(ax, figsize=(max(4.8, 1.4 * len(chosen) + 2.5), 4.6))
    colours = scenario_colours(r)
    note = _progress_note(r)
    if not chosen:
        ax.text(0.5, 0.5, "no finished points to show" + note, ha="center", va="center",
                transform=ax.transAxes)
        return ax
    mean, se = _mean_se(_points(r), metric)
    ms = np.array([float(row[mean]) for _, row, _ in chosen])
    for i, (s, row, _) in enumerate(chosen):
        e = 1.96 * float(row[se]) if se and np.isfinite(row[se]) else 0.0
        ax.errorbar([i], [ms[i]], yerr=[[min(e, ms[i]) if _spans(ms, 2) else e], [e]],
                    marker="o", ms=9, capsize=6, lw=2, color=colours.get(s))
        ax.annotate(_fmt(ms[i]), (i, ms[i]), xytext=(12, 0), textcoords="offset points",
                    va="center", fontsize=9)
    ax.set_xticks(range(len(chosen)), [s for s, *_ in chosen])
    ax.set_xlim(-0.6, len(chosen) - 0.4)
    if _spans(ms, 2) and (ms > 0).all():
        ax.set_yscale("log")
    _ylabel(ax, "mean " + metric_label(metric))
    helds = {_held_text(h) for *_, h in chosen}
    sub = (f"at {helds.pop()}; " if len(helds) == 1 and "" not in helds else "") + \
        "bars: 95% confidence interval (mean ± 1.96 SE)" + note
    _title(ax, f"Mean {metric_name(metric)} per scenario", sub)
    _grid(ax)
    return ax


def heatmap(results, param_x=None, param_y=None, metric="reach", where=None, ax=None,
            values=None):
    """Mean of a metric over a two-parameter sweep, one panel per scenario, one colour scale
    (log when the means span two decades) with a labelled colour bar; cells not run yet are
    grey. param_x and param_y default to the first two swept keys with several values; other
    swept keys are held. `ax` may be one Axes per scenario. values=True writes each cell's
    mean in it (default: when a panel has at most 100 cells). Returns the Figure."""
    r = _results(results)
    pts = _points(r)
    multi = [c for c in _swept_columns(r) if len(_ordered_values(pts[c])) > 1]
    if param_x is None or param_y is None:
        rest = [c for c in multi if c not in (param_x, param_y)]
        param_x = param_x or (rest.pop(0) if rest else None)
        param_y = param_y or (rest.pop(0) if rest else None)
    if param_x is None or param_y is None:
        raise ValueError("a heat map needs two swept keys with several values each (swept: "
                         f"{', '.join(r.swept_keys) or 'none'})")
    cx, cy = _column(r, param_x), _column(r, param_y)
    mean, _ = _mean_se(pts, metric)
    names = _scenarios_in(r, where)
    w = {k: v for k, v in (where or {}).items() if k != "scenario"}
    panels = []
    for s in names:
        # all points, finished or not, so the grid has its full shape and pending cells show
        rows, held = _hold(r, pts[pts["scenario"] == s], w, free=(param_x, param_y))
        if len(rows):
            panels.append((s, rows, held))
    if ax is None:
        n = max(1, len(panels))
        fig, axes = plt.subplots(1, n, figsize=(1.0 + 4.3 * n, 4.4), squeeze=False,
                                 sharey=True, layout="constrained")
        axes = list(axes[0])
    else:
        axes = list(ax) if np.iterable(ax) else [ax]
        fig = axes[0].figure
    # one equal cell per swept value (log-spaced sweeps too), labelled with the value
    xs, ys = _ordered_values(pts[cx]), _ordered_values(pts[cy])
    ex, ey = np.arange(len(xs) + 1) - 0.5, np.arange(len(ys) + 1) - 0.5
    grids, any_missing, any_nan = [], False, False
    for s, rows, held in panels:
        z = np.full((len(ys), len(xs)), np.nan)
        pending = np.ones_like(z, dtype=bool)
        for _, row in rows.iterrows():
            i, j = _index_of(ys, row[cy]), _index_of(xs, row[cx])
            if row["status"] == 1:
                z[i, j] = float(row[mean])
                pending[i, j] = False
        any_missing |= bool(pending.any())
        any_nan |= bool((np.isnan(z) & ~pending).any())
        grids.append(z)
    # one colour scale for the panels drawn, so that they compare
    finite = np.concatenate([z[np.isfinite(z)] for z in grids]) if grids else np.zeros(0)
    if _spans(finite, 2) and (finite > 0).all():
        norm = mcolors.LogNorm(finite.min(), finite.max())
    elif len(finite):
        lo, hi = finite.min(), finite.max()
        norm = mcolors.Normalize(lo, hi if hi > lo else lo + 1)
    else:
        norm = mcolors.Normalize(0, 1)
    cmap = plt.get_cmap("viridis").copy()
    cmap.set_bad("0.85")
    mesh = None
    for axi, (s, rows, held), z in zip(axes, panels, grids):
        mesh = axi.pcolormesh(ex, ey, np.ma.masked_invalid(z), cmap=cmap, norm=norm,
                              shading="flat")
        axi.set_facecolor("0.85")
        _ticks(axi.xaxis, xs, rotate=len(xs) > 6)
        _ticks(axi.yaxis, ys)
        show = values if values is not None else z.size <= 100
        if show:
            _cell_text(axi, z, cmap, norm)
        axi.set_title(s if names != ["base"] else "", fontsize=11, color=scenario_colours(r).get(s))
        axi.set_xlabel(param_label(param_x))
    if panels:
        _ylabel(axes[0], param_label(param_y))
        cb = fig.colorbar(mesh, ax=axes[:len(panels)], shrink=0.9)
        cb.set_label("\n".join(textwrap.wrap("mean " + metric_label(metric), 48)))
    held = {_held_text(h) for *_, h in panels}
    sub = [f"at {held.pop()}"] if len(held) == 1 and "" not in held else []
    if any_missing or any_nan:
        sub.append("grey: " + " or ".join(w for w, f in (("not run yet", any_missing),
                                                          ("no value", any_nan)) if f))
    note = _progress_note(r).strip(" ()")
    if note:
        sub.append(note)
    fig.suptitle(f"Mean {metric_name(metric)} over {param_x} × {param_y}"
                 + (", per scenario" if len(panels) > 1 else "")
                 + ("\n" + "; ".join(sub) if sub else ""), fontsize=11)
    return fig


def _index_of(vals, v):
    if isinstance(v, (float, np.floating, int, np.integer)):
        return int(np.argmin([abs(float(a) - float(v)) for a in vals]))
    return vals.index(v)


def _ticks(axis, vals, rotate=False):
    """Ticks at the cells, labelled with the swept values (every one up to 16, else some)."""
    step = max(1, math.ceil(len(vals) / 16))
    idx = list(range(0, len(vals), step))
    kw = dict(rotation=40, ha="right") if rotate else {}
    axis.set_ticks(idx, [_fmt(vals[i]) for i in idx], **kw)
    axis.set_ticks([], minor=True)


def _fmt_short(v):
    """A number in at most ~5 characters: 0.0312, 61.3, 2,790, 45.1k, 1.2M."""
    a = abs(v)
    if a >= 1e6:
        return f"{v / 1e6:.3g}M"
    if a >= 1e4:
        return f"{v / 1e3:.3g}k"
    if a >= 100:
        return f"{v:,.0f}"
    return f"{v:.3g}"


def _cell_text(ax, z, cmap, norm):
    for i in range(z.shape[0]):
        for j in range(z.shape[1]):
            if not np.isfinite(z[i, j]):
                continue
            rgb = cmap(norm(z[i, j]))[:3]
            dark = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] < 0.5
            ax.text(j, i, _fmt_short(z[i, j]), ha="center", va="center", fontsize=7.5,
                    color="white" if dark else "black")


def generations(results, where=None, ax=None):
    """Mean reshares (adoptions) per generation, 0 = the seeds, from /curves/generations: one
    line per scenario at one point each (module note); log y when it spans two decades.
    Returns the Axes."""
    r = _results(results)
    ax = _axes(ax)
    colours = scenario_colours(r)
    gens = r.curves(kind="generations")
    chosen = _one_point_per_scenario(r, where)
    drawn, helds, allv, lines = 0, [], [], []
    for s, row, held in chosen:
        g = gens[gens["point"] == row["point"]].sort_values("generation")
        if not len(g):
            continue
        allv.append(g["adoptions_mean"].to_numpy(dtype=float))
        lines.append((s, g["generation"].to_numpy(), allv[-1]))
        helds.append(_held_text(held))
        drawn += 1
    note = _progress_note(r)
    if not drawn:
        ax.text(0.5, 0.5, "no finished points to show" + note, ha="center", va="center",
                transform=ax.transAxes)
        return ax
    logy = _spans(np.concatenate(allv), 2)
    for s, x, y in lines:
        keep = y > 0 if logy else np.ones(len(y), bool)  # an author's generation 0 holds 0
        ax.plot(x[keep], y[keep], marker="o", ms=4, lw=1.8, color=colours.get(s), label=s)
    if logy:
        ax.set_yscale("log")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("generation (reshare hops; 0 = the seeds, or the author of an audience)")
    _ylabel(ax, "mean reshares in the generation (accounts per run)")
    same = len(set(helds)) == 1
    sub = (f"at {helds[0]}; " if same and helds[0] else "") + \
        "averaged over all runs (runs that stopped earlier count 0)" + note
    _title(ax, "How far do reshares travel? Mean reshares per generation", sub)
    _grid(ax)
    _legend(ax, drawn)
    return ax


def timing(results, where=None, ax=None):
    """Timed models: fraction of runs that had reached half (dashed) and all (solid) of their
    final size by time t, from /curves/time, one colour per scenario at one point each.
    Returns the Axes."""
    r = _results(results)
    ax = _axes(ax)
    colours = scenario_colours(r)
    tc = r.curves(kind="time")
    chosen = _one_point_per_scenario(r, where)
    drawn, helds, allt = 0, [], []
    for s, row, held in chosen:
        c = tc[tc["point"] == row["point"]].sort_values("t")
        if not len(c):
            continue
        t = c["t"].to_numpy(dtype=float)
        ax.plot(t, c["cdf_final_time"], color=colours.get(s), lw=1.8,
                label=f"{s}: all reshares done")
        ax.plot(t, c["cdf_t50"], color=colours.get(s), lw=1.4, ls="--",
                label=f"{s}: half of them done")
        allt.append(t)
        helds.append(_held_text(held))
        drawn += 1
    note = _progress_note(r)
    if not drawn:
        ax.text(0.5, 0.5, "no timed runs to show (untimed model)" + note, ha="center",
                va="center", transform=ax.transAxes)
        return ax
    allt = np.concatenate(allt)
    if _spans(allt, 1.3):
        ax.set_xscale("symlog", linthresh=max(_positive(allt).min(), 1e-9))
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("time since the post (s)")
    _ylabel(ax, "fraction of runs (cumulative)")
    same = len(set(helds)) == 1
    sub = (f"at {helds[0]}; " if same and helds[0] else "") + \
        "solid: last reshare; dashed: half of the final size" + note
    _title(ax, "How long do cascades last?", sub)
    _grid(ax)
    _legend(ax, 2 * drawn, always=True)
    return ax


def virality_vs_size(results, where=None, ax=None, x="size", max_dots=4000):
    """Structural virality of each run against its size (or another per-run metric x), all
    finished runs of each scenario matching where: dots (a random subset of at most max_dots
    per scenario) and the median virality in log-spaced size bins (line). Log x when sizes
    span a decade. Returns the Axes."""
    r = _results(results)
    ax = _axes(ax)
    colours = scenario_colours(r)
    runs = r.runs
    done = _filter(r, _done(r), {k: v for k, v in (where or {}).items() if k != "scenario"})
    note = _progress_note(r)
    rng = np.random.default_rng(0)  # the same dots every time the figure is drawn
    drawn, allx = 0, []
    for s in _scenarios_in(r, where):
        pts = done.loc[done["scenario"] == s, "point"]
        d = runs[runs["point"].isin(pts)]
        xs, vs = d[x].to_numpy(dtype=float), d["virality"].to_numpy(dtype=float)
        keep = np.isfinite(xs) & np.isfinite(vs)
        xs, vs = xs[keep], vs[keep]
        if not len(xs):
            continue
        pick = rng.choice(len(xs), max_dots, replace=False) if len(xs) > max_dots else \
            slice(None)
        n = min(len(xs), max_dots)
        ax.scatter(xs[pick], vs[pick], s=6 if n > 1000 else 12, lw=0, rasterized=True,
                   alpha=min(0.7, max(0.15, 300 / n)), color=colours.get(s))
        bx, bm = _binned_median(xs, vs)
        zero = float(np.mean(xs <= 0))
        ax.plot(bx, bm, color=colours.get(s), lw=2.2, marker="o", ms=4,
                label=f"{s} ({len(xs):,} runs" + (f"; {zero:.0%} at {x} 0" if zero else "") + ")")
        allx.append(xs)
        drawn += 1
    if not drawn:
        ax.text(0.5, 0.5, "no finished runs to show" + note, ha="center", va="center",
                transform=ax.transAxes)
        return ax
    if _spans(np.concatenate(allx), 1):
        ax.set_xscale("log")
    ax.set_xlabel(metric_label(x))
    _ylabel(ax, metric_label("virality"))
    sub = (f"{_held_text({k: v for k, v in where.items() if k != 'scenario'})}; "
           if where else "") + "dots: single runs; line: median in each size bin" + note
    _title(ax, f"Broadcast or viral? Structural virality vs {metric_name(x)}", sub)
    _grid(ax)
    _legend(ax, drawn, always=True)
    return ax


def _binned_median(xs, vs, min_count=5):
    """Median of vs in bins of xs (one per integer up to 10, then 8 per decade), NaN where a
    bin has fewer than min_count runs, so a line drawn through them breaks at gaps."""
    hi = max(float(np.max(xs)), 10.5)
    k = int(math.ceil(8 * math.log10(hi / 10.5))) + 1
    edges = np.concatenate([[-np.inf], np.arange(-0.5, 11), 10.5 * 10 ** (np.arange(1, k + 1) / 8)])
    idx = np.digitize(xs, edges)
    bx, bm = [], []
    for b in range(idx.min(), idx.max() + 1):
        m = idx == b
        if m.sum() >= min_count:
            bx.append(float(np.median(xs[m])))
            bm.append(float(np.median(vs[m])))
        elif bx and np.isfinite(bx[-1]):  # too few runs: break the line rather than bridge
            bx.append(np.nan)
            bm.append(np.nan)
    return np.array(bx), np.array(bm)


# ----------------------------------------------------------------------------- all of them

def save(fig, outdir, stem, formats=FORMATS):
    """Writes fig as OUTDIR/stem.<format> for each format (PNG at 150 dpi) and closes it.
    Returns the paths."""
    os.makedirs(outdir, exist_ok=True)
    paths = []
    for fmt in formats:
        path = os.path.join(outdir, f"{stem}.{fmt}")
        fig.savefig(path, dpi=DPI)
        paths.append(path)
    plt.close(fig)
    return paths


def default_outdir(path):
    base = os.path.splitext(str(path))[0]
    return base + "_figures"


def _metrics(r, metrics):
    """The metrics to draw: those asked for, or the defaults the file has."""
    cols = set(_points(r).columns)
    if metrics:
        return list(metrics)
    return [m for m in DEFAULT_METRICS if f"{m}_mean" in cols and _has_values(
        _done(r)[f"{m}_mean"])] or ["reach"]


def plan(results, kinds="all", metrics=None, x=None):
    """The figures plot_all would draw: a list of (stem, kind, function, kwargs), and a list
    of (kind, reason) for those that do not apply to the file."""
    r = _results(results)
    kinds = KINDS if kinds in ("all", None) else ([kinds] if isinstance(kinds, str) else kinds)
    metrics = _metrics(r, metrics)
    done = _done(r)
    runs_cols = r.runs.columns if len(done) else []
    multi = [c for c in _swept_columns(r) if len(_ordered_values(done[c])) > 1]
    xs = [_column(r, x)] if x else multi
    figs, skipped = [], []
    if not len(done):
        return [], [("", "the file has no finished point yet")]
    for kind in kinds:
        if kind == "ccdf":
            ms = [m for m in metrics if m in runs_cols]
            for m in ms:
                figs.append((f"ccdf_{_slug(m)}", kind, ccdf, dict(metric=m)))
            if not ms:
                skipped.append((kind, f"no per-run column among {', '.join(metrics)}"))
        elif kind == "mean":
            if xs:
                for p in xs:
                    for m in metrics:
                        figs.append((f"mean_{_slug(m)}_vs_{_slug(p)}", kind, mean_vs,
                                     dict(param=p, metric=m)))
            elif len(done["scenario"].unique()) > 1:
                for m in metrics:
                    figs.append((f"mean_{_slug(m)}_by_scenario", kind, mean_by_scenario,
                                 dict(metric=m)))
            else:
                skipped.append((kind, "one point: no swept key and one scenario"))
        elif kind == "heatmap":
            pair = ([xs[0]] + [c for c in multi if c != xs[0]])[:2] if xs else []
            if _zip(r):
                skipped.append((kind, "a zip sweep varies its keys together (no grid)"))
            elif len(pair) == 2:
                for m in metrics:
                    figs.append((f"heatmap_{_slug(m)}_{_slug(pair[0])}_x_{_slug(pair[1])}",
                                 kind, heatmap,
                                 dict(param_x=pair[0], param_y=pair[1], metric=m)))
            else:
                skipped.append((kind, "needs two swept keys with several values"))
        elif kind == "generations":
            if len(r.curves(kind="generations")):
                figs.append(("generations", kind, generations, {}))
            else:
                skipped.append((kind, "no generation curves in the file"))
        elif kind == "time":
            if len(r.curves(kind="time")):
                figs.append(("time", kind, timing, {}))
            else:
                skipped.append((kind, "untimed model: no time curves"))
        elif kind == "virality":
            if "virality" in runs_cols and _has_values(r.runs["virality"]):
                figs.append(("virality_vs_size", kind, virality_vs_size, {}))
            else:
                skipped.append((kind, "no structural virality in the runs"))
        else:
            raise ValueError(f"unknown kind '{kind}' (kinds: {', '.join(KINDS)}, all)")
    return figs, skipped


def plot_all(results, outdir=None, formats=FORMATS, kinds="all", metrics=None, x=None,
             where=None, errors=None):
    """Draws and saves every figure of plan() into outdir (default: beside the file, in
    <name>_figures/). A figure that fails is reported in `errors` (a list, when given) and
    the others are still drawn. Returns the paths written."""
    r = _results(results)
    outdir = outdir or default_outdir(r.path)
    figs, _ = plan(r, kinds, metrics, x)
    paths = []
    for stem, kind, fn, kw in figs:
        try:
            out = fn(r, where=where, **kw)
            fig = out if isinstance(out, plt.Figure) else out.figure
            paths += save(fig, outdir, stem, formats)
        except Exception as e:  # one figure's trouble must not cost the others
            plt.close("all")
            if errors is None:
                raise
            errors.append(f"{stem}: {type(e).__name__}: {e}")
    return paths


def _parse_where(items):
    out = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"--where {item}: expected KEY=VALUE")
        try:
            out[key.strip()] = float(value)
        except ValueError:
            out[key.strip()] = value.strip()
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="rcplot.py", description="Figures of an rtcascade results file (PNG and PDF).")
    ap.add_argument("results", help="results file written by rtcascade run")
    ap.add_argument("-o", "--outdir", help="where to write (default: <results>_figures/)")
    ap.add_argument("--format", default="png,pdf", help="comma-separated: png, pdf, svg")
    ap.add_argument("--metric", help="comma-separated metrics (default: reach, retweets, and "
                    "reach_per_member when the file has it)")
    ap.add_argument("--x", help="swept key for the mean plots and the heat map's x axis")
    ap.add_argument("--kind", default="all",
                    help=f"comma-separated: {', '.join(KINDS)}, or all (default)")
    ap.add_argument("--where", action="append", metavar="KEY=VALUE",
                    help="fix a swept key (or scenario=NAME) for the figures; repeatable")
    a = ap.parse_args(argv)
    plt.switch_backend("Agg")
    try:
        r = rcload.load(a.results)
    except (OSError, ValueError, KeyError) as e:
        print(f"rcplot: {a.results}: {e}", file=sys.stderr)
        return 4
    formats = [f.strip().lower() for f in a.format.split(",") if f.strip()]
    kinds = "all" if a.kind == "all" else [k.strip() for k in a.kind.split(",") if k.strip()]
    metrics = [m.strip() for m in a.metric.split(",")] if a.metric else None
    try:
        where = _parse_where(a.where)
        _filter(r, _points(r), {k: v for k, v in where.items() if k != "scenario"})
        if "scenario" in where and str(where["scenario"]) not in scenario_order(r):
            raise ValueError(f"no scenario '{where['scenario']}' (scenarios: "
                             f"{', '.join(scenario_order(r))})")
        known = set(summary_metrics(_points(r))) | set(r.runs.columns)
        for m in metrics or []:
            if m not in known:
                raise ValueError(f"no metric '{m}' in the file (metrics: "
                                 f"{', '.join(summary_metrics(_points(r)))})")
        figs, skipped = plan(r, kinds, metrics, a.x)
    except ValueError as e:
        print(f"rcplot: {e}", file=sys.stderr)
        return 2
    errors = []
    paths = plot_all(r, a.outdir, formats, kinds, metrics, a.x, where, errors)
    for p in paths:
        print(p)
    for kind, why in skipped:
        print(f"rcplot: {f'no {kind} figure: ' if kind else ''}{why}", file=sys.stderr)
    for e in errors:
        print(f"rcplot: could not draw {e}", file=sys.stderr)
    if errors:
        return 1
    if not paths:
        print("rcplot: nothing to draw", file=sys.stderr)
        return 0 if kinds == "all" else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
