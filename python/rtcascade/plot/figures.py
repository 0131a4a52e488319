"""Every figure that makes sense for a file (plan, plot_all) and the command line of
scripts/rcplot.py (main): PNG at 150 dpi and PDF, one file per figure."""
import argparse
import os
import sys

import matplotlib.pyplot as plt

from ._common import (DEFAULT_METRICS, DPI, FORMATS, KINDS, _column, _done, _filter,
                      _has_values, _ordered_values, _points, _results, _slug, _swept_columns,
                      _tied, _zip, load, scenario_order, summary_metrics)
from .ccdf import ccdf
from .curves import generations, timing, virality_vs_size
from .fit import fit_figures, is_fit_file
from .heatmap import heatmap
from .means import mean_by_scenario, mean_vs


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


def _zipped_pair(r, pair):
    """True when, in every scenario where both keys vary, they vary together (a zip sweep)."""
    seen = False
    for _, rows in _points(r).groupby("scenario", sort=False):
        if min(rows[c].nunique() for c in pair) < 2:
            continue
        seen = True
        if not _tied(rows, pair[0], [pair[1]]):
            return False
    return seen


def plan(results, kinds="all", metrics=None, x=None):
    """The figures plot_all would draw: a list of (stem, kind, function, kwargs), and a list
    of (kind, reason) for those that do not apply to the file."""
    r = _results(results)
    kinds = KINDS if kinds in ("all", None) else ([kinds] if isinstance(kinds, str) else kinds)
    metrics = _metrics(r, metrics)
    done = _done(r)
    runs_cols = r.run_columns if len(done) else []
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
            if _zip(r) or (len(pair) == 2 and _zipped_pair(r, pair)):
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
            if "virality" in runs_cols and "virality_mean" in done.columns and \
                    _has_values(done["virality_mean"]):
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
        prog="rcplot.py", description="Figures of an rtcascade results file (PNG and PDF); "
        "with --kind fit, of a fit file: observed vs simulated sizes and growth N(t).")
    ap.add_argument("results", help="results file written by rtcascade run; with --kind fit, a "
                    "fit file of rtcascade fit")
    ap.add_argument("simulated", nargs="?", help="--kind fit: the results file of the "
                    "simulated cascades (rtcascade run with the fit's fitted_model); not needed "
                    "for a calibration's fit file, which holds them")
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
    if a.kind == "fit" or is_fit_file(a.results):
        return _main_fit(a)
    if a.simulated:
        print("rcplot: a second file is for --kind fit only", file=sys.stderr)
        return 2
    try:
        r = load(a.results)
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
        known = set(summary_metrics(_points(r))) | set(r.run_columns)
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


def _main_fit(a):
    """--kind fit: the figures of a fit file, against a results file when given."""
    if not is_fit_file(a.results):
        print(f"rcplot: --kind fit: {a.results} is not a fit file of rtcascade fit",
              file=sys.stderr)
        return 4
    formats = [f.strip().lower() for f in a.format.split(",") if f.strip()]
    errors = []
    try:
        paths = fit_figures(a.results, a.simulated, a.outdir, formats, errors)
    except (OSError, ValueError, KeyError) as e:
        print(f"rcplot: {e}", file=sys.stderr)
        return 4
    for p in paths:
        print(p)
    for e in errors:
        print(f"rcplot: no {e}", file=sys.stderr)
    return 0 if paths else 1


if __name__ == "__main__":
    sys.exit(main())
