#!/usr/bin/env python3
"""A sweep, run in process into a results file, then plotted from that file.

rtcascade.run takes a config file or, as here, a dict with the same keys, and writes the same
HDF5 file `rtcascade run` would (results/examples/sweep_plot.h5 below the current folder);
rtcascade.load reads it back as pandas, and rtcascade.plot draws from it.

Run from a build:  PYTHONPATH=build/python /usr/bin/python3 examples/sweep_plot.py
"""
import matplotlib.pyplot as plt

import rtcascade
from rtcascade import plot

config = {
    "name": "sweep_plot",
    "seed": 7,
    "runs": 300,
    "network": {"generator": "chung_lu", "nodes": 5000, "mean_degree": 8},
    "model": {"name": "independent_cascade", "p": 0.05},
    "scenarios": {
        "one author": {"seeds": {"strategy": "random", "count": 1}},
        "top accounts": {"seeds": {"strategy": "top_followers", "count": 1}},
    },
    "sweep": {"model.p": {"from": 0.02, "to": 0.2, "num": 5, "log": True}},
    "output": "results/examples/sweep_plot.h5",
}
r = rtcascade.run(config, overwrite=True)          # a progress bar on a terminal
print(r.describe())
print(r.points[["scenario", "model.p", "retweets_mean", "reach_mean", "p_global"]])

# The same file, read back later (or in another session) and plotted.
r = rtcascade.load("results/examples/sweep_plot.h5")
fig, axes = plt.subplots(1, 2, figsize=(13, 4.6), layout="constrained")
plot.mean_vs(r, "model.p", "reach", ax=axes[0])      # means with 95% bands, crossings marked
plot.ccdf(r, "retweets", where={"model.p": 0.0632}, ax=axes[1])  # one sweep value
fig.savefig("results/examples/sweep_plot.png", dpi=120)
print("figure: results/examples/sweep_plot.png")
# Every figure that makes sense for the file, as `scripts/rcplot.py FILE` draws them:
#   plot.plot_all(r, "results/examples/sweep_plot_figures", formats=("png",))
