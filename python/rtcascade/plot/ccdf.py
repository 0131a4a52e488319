"""CCDFs of a per-run metric: P(X >= x), one line per scenario (at one point each), or one
per value of a swept key. Reads only the runs of the points drawn."""
import numpy as np
import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator

from ._common import (CCDF_QUESTIONS, _axes, _column, _done, _fmt, _grid, _held_text, _hold,
                      _legend, _match, _one_point_per_scenario, _ordered_values,
                      _progress_note, _results, _scenarios_in, _spans, _title, _ylabel,
                      metric_label, metric_name, scenario_colours)


def ccdf(results, metric="reach", by="scenario", where=None, ax=None):
    """Empirical CCDF P(X >= x) of a per-run metric (a /runs column: reach, retweets, size,
    depth, virality, ...), one line per scenario at one point each (see the module note on
    held keys), or with by=<swept key> one line per value of that key (colour) and scenario
    (line style). Log-log when the values span a decade; runs at 0 cannot sit on a log axis
    and are counted in the legend instead. Returns the Axes."""
    r = _results(results)
    cols = r.run_columns
    if metric not in cols:
        raise ValueError(f"'{metric}' is not a per-run metric (runs columns: "
                         f"{', '.join(c for c in cols if c not in ('point', 'run'))})")
    colours = scenario_colours(r)
    if by == "scenario":
        chosen = [(s, row, held, colours.get(s), "-") for s, row, held in
                  _one_point_per_scenario(r, where)]
    else:
        chosen = _by_value(r, by, where)
    ax = _axes(ax)
    runs = r.point_runs(sorted({int(row["point"]) for _, row, *_ in chosen}))
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
            # a value of another scenario's sweep is simply not drawn for this one
            sel = rows[_match(rows[col], v, key, quiet=True)] if len(rows) else rows
            if len(sel):
                c = cmap(0.05 + 0.85 * vi / max(1, len(vals) - 1))
                out.append((s, sel.iloc[0], held, c, styles[si % len(styles)]))
    return out
