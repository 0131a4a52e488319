"""Heat maps of a two-key sweep: the mean of a metric per cell, one panel per scenario on one
colour scale. Cells planned but not run yet are grey; cells the sweep never had (keys of a zip
sweep vary together) are hatched, so an unfinished grid and a zip sweep never look alike. One
x label under all panels, so long key names never run into each other."""
import math
import textwrap

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import colors as mcolors
from matplotlib.patches import Rectangle

from ._common import (_column, _fmt, _held_text, _hold, _mean_se, _ordered_values, _points,
                      _progress_note, _results, _scenarios_in, _spans, _swept_columns, _ylabel,
                      metric_label, metric_name, param_label, scenario_colours)


def heatmap(results, param_x=None, param_y=None, metric="reach", where=None, ax=None,
            values=None):
    """Mean of a metric over a two-parameter sweep, one panel per scenario, one colour scale
    (log when the means span two decades) with a labelled colour bar; cells not run yet are
    grey, cells the sweep does not have (a zip sweep's) hatched. param_x and param_y default
    to the first two swept keys with several values; other swept keys are held. `ax` may be one
    Axes per scenario. values=True writes each cell's mean in it (default: when a panel has at
    most 100 cells). Returns the Figure."""
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
    grids, planned, any_missing, any_nan = [], [], False, False
    for s, rows, held in panels:
        z = np.full((len(ys), len(xs)), np.nan)
        plan = np.zeros_like(z, dtype=bool)   # the sweep has this cell
        pending = np.zeros_like(z, dtype=bool)
        for _, row in rows.iterrows():
            i, j = _index_of(ys, row[cy]), _index_of(xs, row[cx])
            plan[i, j] = True
            if row["status"] == 1:
                z[i, j] = float(row[mean])
            else:
                pending[i, j] = True
        any_missing |= bool(pending.any())
        any_nan |= bool((np.isnan(z) & plan & ~pending).any())
        grids.append(z)
        planned.append(plan)
    norm = _norm(grids)
    cmap = plt.get_cmap("viridis").copy()
    cmap.set_bad("0.85")
    mesh = None
    unplanned = False
    for axi, (s, rows, held), z, plan in zip(axes, panels, grids, planned):
        mesh = _panel(axi, xs, ys, z, plan, cmap, norm, values)
        unplanned |= not plan.all()
        axi.set_title(s if names != ["base"] else "", fontsize=11,
                      color=scenario_colours(r).get(s))
    if panels:
        _axis_labels(fig, axes[:len(panels)], param_x, param_y, own_axes=ax is not None)
        cb = fig.colorbar(mesh, ax=axes[:len(panels)], shrink=0.9)
        cb.set_label("\n".join(textwrap.wrap("mean " + metric_label(metric), 48)))
    held = {_held_text(h) for *_, h in panels}
    sub = [f"at {held.pop()}"] if len(held) == 1 and "" not in held else []
    if any_missing or any_nan:
        sub.append("grey: " + " or ".join(w for w, f in (("not run yet", any_missing),
                                                          ("no value", any_nan)) if f))
    if unplanned:
        sub.append("hatched: not in the sweep")
    note = _progress_note(r).strip(" ()")
    if note:
        sub.append(note)
    fig.suptitle(f"Mean {metric_name(metric)} over {param_x} × {param_y}"
                 + (", per scenario" if len(panels) > 1 else "")
                 + ("\n" + "; ".join(sub) if sub else ""), fontsize=11)
    return fig


def _norm(grids):
    """One colour scale for the panels drawn, so that they compare (log over two decades)."""
    finite = np.concatenate([z[np.isfinite(z)] for z in grids]) if grids else np.zeros(0)
    if _spans(finite, 2) and (finite > 0).all():
        return mcolors.LogNorm(finite.min(), finite.max())
    if len(finite):
        lo, hi = finite.min(), finite.max()
        return mcolors.Normalize(lo, hi if hi > lo else lo + 1)
    return mcolors.Normalize(0, 1)


def _panel(axi, xs, ys, z, plan, cmap, norm, values):
    """One scenario's cells: colours, grey for pending, hatching where the sweep has none."""
    ex, ey = np.arange(len(xs) + 1) - 0.5, np.arange(len(ys) + 1) - 0.5
    mesh = axi.pcolormesh(ex, ey, np.ma.masked_invalid(z), cmap=cmap, norm=norm, shading="flat")
    axi.set_facecolor("0.85")
    for i, j in zip(*np.nonzero(~plan)):
        axi.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor="white", edgecolor="0.75",
                                hatch="///", lw=0))
    _ticks(axi.xaxis, xs, rotate=len(xs) > 6)
    _ticks(axi.yaxis, ys)
    show = values if values is not None else z.size <= 100
    if show:
        _cell_text(axi, z, cmap, norm)
    return mesh


def _axis_labels(fig, axes, param_x, param_y, own_axes):
    """The y label on the first panel; the x label once under all panels of our own figure
    (each panel's would run into its neighbour's), or on each given Axes, wrapped."""
    if own_axes or len(axes) == 1:
        for a in axes:
            a.set_xlabel("\n".join(textwrap.wrap(param_label(param_x), 40)))
    else:
        fig.supxlabel("\n".join(textwrap.wrap(param_label(param_x), 90)), fontsize=10)
    _ylabel(axes[0], param_label(param_y))


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
