"""Means against a swept key (one line per scenario, 95% bands, crossings marked), the
crossings themselves, and means per scenario."""
import itertools

import numpy as np
import pandas as pd

from ._common import (Crossing, _axes, _column, _done, _fmt, _grid, _held_text, _hold,
                      _legend, _log_sweep, _match, _mean_se, _numeric, _one_point_per_scenario,
                      _ordered_values, _paired, _points, _positive, _progress_note, _results,
                      _scenario_word, _scenarios_in, _spans, _title, _ylabel, _zip, metric_label,
                      metric_name, param_label, scenario_colours)


def _curves_by_scenario(r, param, metric, where):
    """{scenario: DataFrame sorted by param with columns x, mean, se} and the held keys."""
    col = _column(r, param)
    done = _done(r)
    mean, se = _mean_se(done, metric)
    w = {k: v for k, v in (where or {}).items() if k != "scenario"}
    # keys of a zip sweep vary together: holding the others would leave one point (a
    # scenario's own zip sweep is found by _hold from its points)
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
    paired = [k for k in r.swept_keys if k != param] if _zip(r) else [
        c[len("swept:"):] if c.startswith("swept:") else c for c in _paired(r, param)]
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
