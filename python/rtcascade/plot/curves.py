"""Figures over a run's course: mean reshares per generation, completion times of timed
models, and structural virality against cascade size."""
import math

import numpy as np
from matplotlib.ticker import MaxNLocator

from ._common import (_axes, _done, _filter, _grid, _held_text, _legend,
                      _one_point_per_scenario, _positive, _progress_note, _results,
                      _scenarios_in, _spans, _title, _ylabel, metric_label, metric_name,
                      scenario_colours)


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
    done = _filter(r, _done(r), {k: v for k, v in (where or {}).items() if k != "scenario"})
    done = done[done["scenario"].isin(_scenarios_in(r, where))]
    runs = r.point_runs(done["point"].astype(int).tolist())
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
