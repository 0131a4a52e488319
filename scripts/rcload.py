#!/usr/bin/env python3
"""Describe an rtcascade results file: what it holds and a table of its points.

    /usr/bin/python3 scripts/rcload.py FILE

A thin command line over rtcascade.load (python/rtcascade/results.py), which loads the file
into pandas DataFrames; as a module this file re-exports it (load, Results, table):

    import rtcascade
    r = rtcascade.load("results/handpicked_vs_broadcast.h5")
    r.points            # one row per point: scenario, swept keys, status, and its /summary columns
    r.runs              # one row per run; r.point_runs(3) reads one point's runs only
    r.curves(3)         # {"generations": df, "size_ccdf": df, "time": df} of point 3
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _rcenv  # noqa: E402

_rcenv.setup("rcload")
from rtcascade.results import CURVES, FORMAT, FORMAT_VERSION, Results, load, table  # noqa: F401,E402

import pandas as pd  # noqa: E402


def main(argv):
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(argv) == 2 else 2
    try:
        r = load(argv[1])
    except (OSError, ValueError, KeyError) as e:
        print(f"rcload: {e}", file=sys.stderr)
        return 4
    print(r.describe())
    pts = r.points
    cols = ["point", "scenario"] + [c for c in pts.columns if c in r.swept_keys
                                    or c.startswith("swept:")]
    cols += [c for c in ("status", "retweets_mean", "retweets_q95", "reach_mean", "virality_mean",
                         "p_global") if c in pts.columns]
    with pd.option_context("display.max_rows", 40, "display.width", 120):
        print(pts[cols].to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
