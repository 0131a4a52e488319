#!/usr/bin/env python3
"""Figures of an rtcascade results file: CCDFs of reach and retweets, means with 95% confidence
bands against a swept parameter, heat maps of two-parameter sweeps, mean reshares per
generation, completion times of timed models, and structural virality against cascade size.

    /usr/bin/python3 scripts/rcplot.py results/study.h5 [-o OUTDIR] [--format png,pdf]
        [--metric reach[,retweets]] [--x model.p] [--where key=value ...]
        [--kind ccdf|mean|heatmap|generations|time|virality|all]
    /usr/bin/python3 scripts/rcplot.py FIT.h5 [RESULTS.h5] --kind fit [-o OUTDIR]

OUTDIR defaults to <results file without .h5>_figures/ beside the file. `all` (the default)
writes every figure that makes sense for the file and skips the rest, saying why. --kind fit
(or a fit file as the first argument) draws observed vs simulated cascade sizes and growth N(t)
with the fit's numbers: the simulated cascades from RESULTS.h5 (rtcascade run with the fit's
fitted_model), or from the fit file itself for a calibration.

A thin command line over rtcascade.plot (python/rtcascade/plot/), whose functions draw each
figure into an Axes for notebooks and scripts (`from rtcascade import plot`); as a module this
file re-exports them.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _rcenv  # noqa: E402

_rcenv.setup("rcplot", "matplotlib")
from rtcascade.plot import *  # noqa: F401,F403,E402
from rtcascade.plot import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
