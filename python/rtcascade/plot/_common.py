"""What the figures share: labels and names of metrics and swept keys, scenario order and
colours, choosing points (a swept key held at its middle value unless fixed; keys of a zip sweep,
global or per scenario, vary together with the key drawn and are not held), axes, titles and
legends."""
import math
import os
import re
import textwrap
from collections import namedtuple

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .. import results as _results_mod


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


def load(path):
    """Opens a results file (rtcascade.load), so the figures and the tables agree on every
    column."""
    return _results_mod.load(path)


def _results(obj):
    if isinstance(obj, (str, os.PathLike)):
        return _results_mod.load(obj)
    return obj


def _points(r):
    """r.points (the /points-/summary join, made once per Results)."""
    return r.points


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


def _match(series, value, key, quiet=False):
    """Rows of a column equal to value: strings exactly, numbers to within 1% (so a value typed
    with fewer digits finds its point), else a ValueError naming the values there are (with
    quiet: no rows)."""
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
            if quiet:
                return np.zeros(len(x), bool)
            raise ValueError(f"{key} = {_fmt(v)} is not a point of the file (values: "
                             f"{', '.join(_fmt(a) for a in _ordered_values(series))})")
        return x == nearest
    m = series.astype(str).to_numpy() == str(value)
    if not m.any() and len(series) and not quiet:
        raise ValueError(f"{key} = {value!r} is not a point of the file (values: "
                         f"{', '.join(map(str, _ordered_values(series)))})")
    return m


def _filter(r, df, where):
    """df narrowed by where ({swept key or 'scenario': value})."""
    for key, value in (where or {}).items():
        col = "scenario" if key == "scenario" else _column(r, key)
        df = df[_match(df[col], value, key)]
    return df


def _tied(df, col, others):
    """The columns among `others` that vary together with col in df: each value of col comes
    with one value of theirs, and they take several (keys of a zip sweep, global or of a
    scenario; never two keys of a grid)."""
    if col not in df.columns or df[col].nunique(dropna=False) < 2:
        return []
    out = []
    for c in others:
        if c == col or c not in df.columns or df[c].nunique(dropna=False) < 2:
            continue
        if (df.groupby(col, dropna=False)[c].nunique(dropna=False) <= 1).all():
            out.append(c)
    return out


def _paired(r, key):
    """Swept keys that vary together with key in some scenario's points (zip sweeps)."""
    col = _column(r, key)
    pts = _points(r)
    cols = _swept_columns(r)
    found = []
    for _, rows in pts.groupby("scenario", sort=False):
        for c in _tied(rows, col, cols):
            if c not in found:
                found.append(c)
    return found


def _hold(r, df, where, free=()):
    """df narrowed by where, then every swept key not in `free` (nor varying together with a
    free key, as zip-swept keys do) that still has several values held at its middle one.
    Returns (rows, {key: value held or fixed})."""
    df = _filter(r, df, where)
    fixed = {}
    free_cols = {_column(r, k) for k in free}
    for c in list(free_cols):
        free_cols.update(_tied(df, c, _swept_columns(r)))
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
