#!/usr/bin/env python3
"""Simulation-based calibration end to end (rtcascade fit with calibrate:, docs/fit.md).

Observed cascades are simulated by rtcascade itself (`rtcascade run` with events: on the real
@hersheycareers follower network, turned into a cascades CSV), with known parameters, and
calibrated back; fixed seeds throughout:

1. independent cascade, p = 0.04 from one random seed: model.p by the binned size likelihood,
   profile interval;
2. an audience of 100 random accounts, engagement 0.02 (p = 0.04): audience.engagement, then
   engagement and p together (Nelder-Mead, profiles over the other parameter);
3. continuous cascade with exponential delays of rate 1/1000 s: the delay's rate by the L2
   distance of log N(t), bootstrap interval; and p by the KS distance of sizes.

Each must cover the truth with its interval, whose relative half-width must be small enough
to mean something; the sizes simulated at the estimate must agree with the observed ones (mean
within 4 standard errors of the difference of two samples of their sizes; KS distance below
the two-sample 1% critical value 1.63 sqrt((n + m) / (n m))). The fit file's fitted_config,
run by `rtcascade run`, reproduces the fit's simulated sizes run for run (same seed, point 0).
Bad calibrate: sections are refused with exit 3 and their place in the config.

usage: test_calibrate.py RTCASCADE"""
import math
import os
import shutil
import subprocess
import sys
import tempfile

import h5py
import numpy as np

from rcitest import check, exe_from_argv, finish

HERE = os.path.dirname(os.path.abspath(__file__))
EDGES = os.path.abspath(os.path.join(HERE, "..", "data", "shared",
                                     "twitter_hershey_careers.edges"))
NETWORK = f"{{generator: file, path: {EDGES}, direction: flows}}"


def text(v):
    """An attribute's string (fit files store them fixed-length: h5py gives bytes)."""
    return v.decode() if isinstance(v, bytes) else str(v)


def rtc(exe, *args, timeout=600):
    return subprocess.run([exe] + list(args), capture_output=True, text=True, timeout=timeout)


def observe(exe, tmp, name, point_yaml, runs, seed):
    """Simulates `runs` cascades with events and writes them as a cascades CSV."""
    cfg = os.path.join(tmp, name + "_gen.yaml")
    with open(cfg, "w") as f:
        f.write(f"name: {name}_gen\nseed: {seed}\nruns: {runs}\nnetwork: {NETWORK}\n"
                f"{point_yaml}\nevents: true\n")
    h5 = os.path.join(tmp, name + "_gen.h5")
    p = rtc(exe, "run", cfg, "-o", h5, "--quiet")
    check(p.returncode == 0, f"{name}: simulating the data: {p.stderr}")
    with h5py.File(h5, "r") as f:
        ev, audience = f["events"][()], "audience" in point_yaml
        timed = not np.all(np.isnan(ev["time"]))
    starts = np.searchsorted(ev["run"], np.arange(runs + 1))
    path = os.path.join(tmp, name + ".csv")
    with open(path, "w") as out:
        out.write("cascade,time_s,followers\n")
        for r in range(runs):
            e = ev[starts[r]:starts[r + 1]]
            times = e["time"] if timed else e["generation"].astype(float)
            if audience:
                out.write(f"{r},0,1\n")  # the author's post, outside the network
            for t in times:
                out.write(f"{r},{t!r},1\n")
    return path


def calibrate(exe, tmp, name, data, section):
    cfg = os.path.join(tmp, name + ".yaml")
    with open(cfg, "w") as f:
        f.write(f"name: {name}\nseed: 7\ndata: {{path: {data}}}\ncalibrate:\n"
                f"  network: {NETWORK}\n{section}")
    out = os.path.join(tmp, name + ".h5")
    p = rtc(exe, "fit", cfg, "-o", out)
    print(p.stdout, end="")
    if not check(p.returncode == 0, f"{name}: exit {p.returncode}: {p.stderr}"):
        return None
    with h5py.File(out, "r") as f:
        fit = f["fit"][()]
        res = {"fit": {r["parameter"].decode(): r for r in fit},
               "sim": f["simulated"]["size"][()], "obs": f["cascades"]["size"][()],
               "config": text(f.attrs["fitted_config"]),
               "runs": int(f.attrs["runs_per_candidate"]),
               "growth": f["growth"][()], "path": out}
    return res


def check_recovery(name, res, truth, max_rel_half):
    for key, true in truth.items():
        r = res["fit"][key]
        est, lo, hi = r["estimate"], r["ci_low"], r["ci_high"]
        print(f"{name}: {key} = {est:.5g} [{lo:.5g}, {hi:.5g}] (true {true})")
        check(lo <= true <= hi, f"{name}: {key}: the interval [{lo:.5g}, {hi:.5g}] misses "
                                f"the true {true}")
        half = (hi - lo) / 2 / true
        check(0 < half < max_rel_half, f"{name}: {key}: relative half-width {half:.3g} (at "
                                       f"most {max_rel_half})")
    obs, sim = res["obs"].astype(float), res["sim"].astype(float)
    se = math.sqrt(obs.var(ddof=1) / len(obs) + sim.var(ddof=1) / len(sim))
    check(abs(obs.mean() - sim.mean()) < 4 * se, f"{name}: mean size observed "
          f"{obs.mean():.4g}, simulated {sim.mean():.4g} (4 se = {4 * se:.3g})")
    n, m = len(obs), len(sim)
    grid = np.union1d(obs, sim)
    ks = np.max(np.abs(np.searchsorted(np.sort(obs), grid, "right") / n -
                       np.searchsorted(np.sort(sim), grid, "right") / m))
    crit = 1.63 * math.sqrt((n + m) / (n * m))
    check(ks < crit, f"{name}: KS distance of the sizes {ks:.4f} >= {crit:.4f}")


def check_fitted_config(exe, tmp, name, res):
    cfg = os.path.join(tmp, name + "_fitted.yaml")
    with open(cfg, "w") as f:
        f.write(res["config"])
    out = os.path.join(tmp, name + "_fitted.h5")
    p = rtc(exe, "run", cfg, "-o", out, "--quiet")
    if check(p.returncode == 0, f"{name}: fitted_config: exit {p.returncode}: {p.stderr}"):
        with h5py.File(out, "r") as f:
            sizes = f["runs"]["retweets"][()].astype(np.uint64) + 1
        check(np.array_equal(sizes, res["sim"]), f"{name}: rtcascade run of fitted_config "
              "gives other sizes than the fit simulated at its estimate")


def check_plot(tmp, fit_path):
    """rcplot on a calibration's fit file alone: both figures from its own tables."""
    rcplot = os.path.join(HERE, "..", "..", "scripts", "rcplot.py")
    outdir = os.path.join(tmp, "figures")
    p = subprocess.run(["/usr/bin/python3", rcplot, fit_path, "-o", outdir, "--format", "png"],
                       capture_output=True, text=True, timeout=300)
    check(p.returncode == 0 and sorted(os.listdir(outdir) if os.path.isdir(outdir) else []) ==
          ["fit_growth.png", "fit_sizes.png"], f"rcplot of a fit file: exit {p.returncode}: "
          f"{p.stdout} {p.stderr}")


def check_refusals(exe, tmp, data):
    cases = [
        ("profile_distance", "  model: {name: independent_cascade}\n"
         "  free: {model.p: [0.001, 0.2]}\n  objective: ks_size\n  interval: profile\n",
         "a profile interval needs"),
        ("network_free", "  model: {name: independent_cascade}\n"
         "  free: {network.nodes: [10, 20]}\n", "cannot be free"),
        ("untimed_growth", "  model: {name: independent_cascade}\n  free: {model.p: [0.001, "
         "0.2]}\n  objective: l2_log_growth\n", "untimed"),
        ("bad_range", "  model: {name: independent_cascade}\n  free: {model.p: [0.5, 2]}\n",
         "model.p"),
        ("no_free", "  model: {name: independent_cascade}\n", "calibrate.free"),
    ]
    for name, section, text in cases:
        cfg = os.path.join(tmp, name + ".yaml")
        with open(cfg, "w") as f:
            f.write(f"data: {{path: {data}}}\ncalibrate:\n  network: {NETWORK}\n{section}")
        p = rtc(exe, "fit", cfg, "-o", os.path.join(tmp, name + ".h5"))
        check(p.returncode == 3 and text in p.stderr and name + ".yaml:" in p.stderr,
              f"{name}: exit {p.returncode}, expected 3 with '{text}': {p.stderr.strip()}")
        check(not os.path.exists(os.path.join(tmp, name + ".h5")), f"{name}: a file was left")
    cfg = os.path.join(tmp, "both.yaml")
    with open(cfg, "w") as f:
        f.write(f"data: {{path: {data}}}\nmodel: {{name: hawkes}}\ncalibrate:\n"
                f"  network: {NETWORK}\n  model: {{name: independent_cascade}}\n"
                f"  free: {{model.p: [0.001, 0.2]}}\n")
    p = rtc(exe, "fit", cfg)
    check(p.returncode == 3 and "not both" in p.stderr, f"model: with calibrate: {p.stderr}")


def main():
    exe = exe_from_argv()
    tmp = tempfile.mkdtemp(prefix="rc_calibrate_")
    try:
        seeds = "model: {name: independent_cascade, p: 0.04}\nseeds: {strategy: random, count: 1}"
        data = observe(exe, tmp, "ic", seeds, 1500, 11)
        res = calibrate(exe, tmp, "ic_p", data,
                        "  model: {name: independent_cascade, p: 0.01}\n"
                        "  seeds: {strategy: random, count: 1}\n"
                        "  free: {model.p: [0.001, 0.2]}\n  runs: 6000\n")
        if res:
            check_recovery("ic_p", res, {"model.p": 0.04}, 0.06)
            check_fitted_config(exe, tmp, "ic_p", res)
        check_refusals(exe, tmp, data)

        aud = ("model: {name: independent_cascade, p: 0.04}\n"
               "audience: {size: 100, pick: random, engagement: 0.02}")
        data = observe(exe, tmp, "aud", aud, 1500, 12)
        section = ("  model: {name: independent_cascade, p: 0.04}\n"
                   "  audience: {size: 100, pick: random, engagement: 0.1}\n  runs: 6000\n")
        res = calibrate(exe, tmp, "aud_e", data,
                        section + "  free: {audience.engagement: [0.001, 0.5]}\n")
        if res:
            check_recovery("aud_e", res, {"audience.engagement": 0.02}, 0.06)
            check_fitted_config(exe, tmp, "aud_e", res)
        res = calibrate(exe, tmp, "aud_ep", data, section.replace("6000", "3000") +
                        "  free: {audience.engagement: [0.001, 0.5], model.p: [0.005, 0.2]}\n")
        if res:
            check_recovery("aud_ep", res, {"audience.engagement": 0.02, "model.p": 0.04}, 0.1)

        cc = ("model: {name: continuous_cascade, p: 0.04, delay: {distribution: exponential, "
              "rate: 0.001}}\nseeds: {strategy: random, count: 1}")
        data = observe(exe, tmp, "cc", cc, 1000, 13)
        res = calibrate(exe, tmp, "cc_rate", data,
                        "  model: {name: continuous_cascade, p: 0.04, delay: {distribution: "
                        "exponential, rate: 0.01}}\n  seeds: {strategy: random, count: 1}\n"
                        "  free: {model.delay.rate: [0.0001, 0.1]}\n"
                        "  objective: l2_log_growth\n  bootstrap: 20\n  runs: 3000\n")
        if res:
            check_recovery("cc_rate", res, {"model.delay.rate": 0.001}, 0.3)
            g = res["growth"]
            check(len(g) > 10 and g["t"][0] == 0 and np.all(np.diff(g["t"]) > 0),
                  "cc_rate: the growth curves compared are in the fit file")
            check_plot(tmp, res["path"])
        res = calibrate(exe, tmp, "cc_ks", data,
                        "  model: {name: continuous_cascade, p: 0.01, delay: {distribution: "
                        "exponential, rate: 0.001}}\n  seeds: {strategy: random, count: 1}\n"
                        "  free: {model.p: [0.001, 0.2]}\n  objective: ks_size\n"
                        "  bootstrap: 20\n  runs: 3000\n")
        if res:
            check_recovery("cc_ks", res, {"model.p": 0.04}, 0.2)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return finish("test_calibrate")


if __name__ == "__main__":
    sys.exit(main())
