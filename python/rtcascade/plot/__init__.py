"""Figures of an rtcascade results file (docs/results-format.md): CCDFs of reach and retweets,
means with 95% confidence bands against a swept parameter, heat maps of two-parameter sweeps,
mean reshares per generation, completion times of timed models, and structural virality
against cascade size; one colour per scenario across all of them.

Each function takes a loaded rtcascade.Results or a path, an optional Axes, and returns the
Axes (the Figure for the heat map):

    from rtcascade import plot
    r = plot.load("results/study.h5")
    plot.ccdf(r, "reach", where={"model.p": 0.1})
    plot.mean_vs(r, "model.p", "retweets")
    plot.heatmap(r, "model.p", "seeds.count", "reach")
    plot.generations(r); plot.virality_vs_size(r); plot.timing(r)
    plot.crossing(r, "model.p", "reach", "handpicked", "broadcast")   # [Crossing(x, y, ...)]
    plot.plot_all(r, "figures/")                                        # list of paths
    plot.fit_sizes("fit.h5", "sim.h5"); plot.fit_growth(...)            # observed vs simulated

Where a figure shows one point per scenario and the file sweeps keys, each swept key that the
caller does not fix with where={key: value} is held at its middle value, and the figure says
which; keys of a zip sweep (global or a scenario's own) vary together with the key drawn and are
not held. Only finished points are drawn, so an interrupted file plots what it holds. Importing
this module does not choose a matplotlib backend (a notebook or a desktop keeps its own); the
command line (scripts/rcplot.py, main()) draws into files with Agg.
"""
from .._requires import require as _require

_require("matplotlib", who="rtcascade.plot")

from ._common import (  # noqa: E402
    DEFAULT_METRICS, DPI, FORMATS, KINDS, METRIC_LABELS, PARAM_LABELS, Crossing, _grid, _title,
    load, metric_label, metric_name, param_label, scenario_colours, scenario_order,
    summary_metrics)
from .ccdf import ccdf  # noqa: E402
from .curves import generations, timing, virality_vs_size  # noqa: E402
from .figures import default_outdir, main, plan, plot_all, save  # noqa: E402
from .fit import Fit, fit_figures, fit_growth, fit_sizes, is_fit_file, load_fit  # noqa: E402
from .heatmap import heatmap  # noqa: E402
from .means import crossing, mean_by_scenario, mean_vs  # noqa: E402

grid = _grid    # the figures' grid lines, for figures of one's own in the same look
title = _title  # a title and a smaller subtitle line, as the figures have

__all__ = ["DPI", "FORMATS", "KINDS", "DEFAULT_METRICS", "METRIC_LABELS", "PARAM_LABELS",
           "grid", "title", "load", "ccdf", "mean_vs", "mean_by_scenario", "heatmap",
           "generations", "timing", "virality_vs_size", "crossing", "Crossing", "plan", "plot_all", "save",
           "default_outdir", "scenario_colours", "scenario_order", "metric_label",
           "Fit", "load_fit", "is_fit_file", "fit_sizes", "fit_growth", "fit_figures",
           "metric_name", "param_label", "summary_metrics", "main"]
