#!/usr/bin/env python3
"""`rtcascade fit` end to end: the issue's minimal config exactly as written (its data path
relative to the config's folder), the fit file's layout read back with h5py (provenance, the
fit's attributes, /fit, /predictions, /cascades), the fitted_model accepted by `rtcascade run`
and simulating the fitted process (mean size and P(size = 1) against the fitted model's own
theory), --set and -o, an existing file kept, and every config of configs/fit running.

usage: test_fit.py RTCASCADE SOURCE_DIR DATA_DIR
(DATA_DIR holds auspol_retweet_cascades.csv and seismic_tweet.csv.)"""
import math
import os
import shutil
import subprocess
import sys
import tempfile

import h5py
import numpy as np
import yaml

from rcitest import check, finish

MINIMAL = """name: auspol_mpl
data: {path: ../shared/data/auspol_retweet_cascades.csv}    # columns cascade,time_s,followers
model: {name: hawkes, kernel: power_law, marked: true}       # evently's mPL: K, beta, c, theta
"""
ROOT_ATTRS = ["format", "format_version", "software_version", "git_commit", "created",
              "command_line", "config", "config_path", "resolved_config", "model", "nll",
              "n_cascades", "n_events", "branching_factor", "branching_factor_low",
              "branching_factor_high", "fitted_model"]


def fit(exe, args, cwd=None, timeout=120):
    p = subprocess.run([exe, "fit"] + list(args), cwd=cwd, capture_output=True, text=True,
                       timeout=timeout, env=dict(os.environ, OMP_NUM_THREADS="2"))
    return p


def s(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def check_layout(path, data_dir):
    with h5py.File(path, "r") as f:
        a = f.attrs
        for k in ROOT_ATTRS:
            check(k in a, f"root attribute {k}")
        check(s(a["format"]) == "rtcascade-fit" and int(a["format_version"]) == 1, "format")
        check(s(a["model"]) == "mPL", f"model {a['model']}")
        check(int(a["n_cascades"]) == 3333 and int(a["n_events"]) == 10504,
              f"n_cascades {a['n_cascades']}, n_events {a['n_events']}")
        # the fit layer's own auspol fit (test_fit_mle): nll 63577.9719 with T = infinity
        check(abs(float(a["nll"]) - 63577.9719) < 0.01, f"nll {a['nll']}")
        check(a["branching_factor_low"] < a["branching_factor"] < a["branching_factor_high"],
              "n* inside its interval")
        check(s(a["config"]) == MINIMAL, "config attribute is the file as given")
        check(s(a["observation_time"]) == "complete", "observation time: complete by default")
        fit_t = f["fit"][()]
        names = [s(x) for x in fit_t["parameter"]]
        check(names == ["K", "beta", "c", "theta", "n*"], f"/fit parameters {names}")
        check(list(fit_t.dtype.names) == ["parameter", "estimate", "se", "ci_low", "ci_high",
                                          "boot_low", "boot_high"], f"/fit columns {fit_t.dtype}")
        est = dict(zip(names, fit_t["estimate"]))
        check(all(fit_t["ci_low"] < fit_t["estimate"]) and all(fit_t["estimate"] <
                                                               fit_t["ci_high"]),
              "every estimate inside its interval")
        check(abs(est["n*"] - float(a["branching_factor"])) < 1e-12, "n* row = attribute")
        check(np.isnan(fit_t["boot_low"]).all(), "no bootstrap: NaN bootstrap columns")
        cas = f["cascades"][()]
        check(len(cas) == 3333 and int(cas["size"].sum()) == 10504, "/cascades sizes")
        check(len(f["predictions"]) == 0, "no predict: section, no predictions")
        model = yaml.safe_load(s(a["fitted_model"]))
        return est, model, cas


def check_model(model, est, cas):
    """The fitted_model maps evently's mPL: kappa = K c^-theta / theta, lomax(c, theta), the
    reshares' and posts' follower counts."""
    K, beta, c, theta = est["K"], est["beta"], est["c"], est["theta"]
    check(model["name"] == "hawkes", "fitted model is hawkes")
    check(abs(model["kappa"] - K * c ** -theta / theta) < 1e-12 * model["kappa"], "kappa")
    check(abs(model["beta"] - beta) < 1e-15, "beta")
    check(model["delay"] == {"distribution": "lomax", "c": c, "theta": theta}, "delay")
    fol, seed = model["followers"], model["seed_followers"]
    check(fol["distribution"] == "empirical" and len(fol["values"]) == 7170,
          f"followers: {len(fol['values'])} reshares (t > 0)")
    check(seed["distribution"] == "empirical" and len(seed["values"]) == 3333, "posts' marks")
    check(sorted(seed["values"]) == sorted(cas["post_mark"].tolist()), "posts' marks = /cascades")


def check_simulation(exe, tmp, model, est):
    """`rtcascade run` with the fitted model: mean size 1 + E_post[kappa m^beta] / (1 - n*) and
    P(size 1) = E_post[exp(-kappa m^beta)], n* = kappa E_reshares[m^beta] (the process's own
    theory), within 5 standard errors."""
    runs = 20000
    cfg = {"seed": 5, "runs": runs, "seeds": {"strategy": "random", "count": 1},
           "network": {"generator": "erdos_renyi", "nodes": 200000, "mean_degree": 1},
           "model": model}
    path = os.path.join(tmp, "simulate.yaml")
    with open(path, "w") as fh:
        yaml.safe_dump(cfg, fh)
    out = os.path.join(tmp, "simulate.h5")
    p = subprocess.run([exe, "run", path, "-o", out, "--quiet"], capture_output=True, text=True,
                       timeout=300, env=dict(os.environ, OMP_NUM_THREADS="2"))
    if not check(p.returncode == 0, f"rtcascade run accepts fitted_model: {p.stderr}"):
        return
    with h5py.File(out, "r") as f:
        size = f["runs"]["retweets"][()] + 1.0
    k, b = model["kappa"], model["beta"]
    w = lambda v: np.where(np.asarray(v) > 0, np.asarray(v, dtype=float) ** b, 0.0)  # noqa
    nstar = k * w(model["followers"]["values"]).mean()
    a0 = k * w(model["seed_followers"]["values"])
    mean_th, p1_th = 1 + a0.mean() / (1 - nstar), np.exp(-a0).mean()
    se = size.std() / math.sqrt(runs)
    print(f"simulated fitted mPL: mean size {size.mean():.4f} (theory {mean_th:.4f}, se "
          f"{se:.3g}), P(size 1) {np.mean(size == 1):.4f} (theory {p1_th:.4f}); n* {nstar:.4f}")
    check(abs(size.mean() - mean_th) < 5 * se, "simulated mean size = the fitted process's")
    check(abs(np.mean(size == 1) - p1_th) < 5 * math.sqrt(p1_th * (1 - p1_th) / runs),
          "simulated P(size 1) = the fitted process's")


def check_plot(src, fit_path, sim_path, tmp):
    """rcplot --kind fit: observed vs simulated sizes and N(t) from the fit file and the run of
    its fitted_model; the fit file's /growth holds the observed curve."""
    with h5py.File(fit_path, "r") as f:
        g = f["growth"][()]
    check(len(g) > 10 and g["t"][0] == 0 and abs(g["observed"][-1] - f_mean(fit_path)) < 1e-9,
          "/growth: the observed mean N(t), ending at the mean size")
    outdir = os.path.join(tmp, "fit_figures")
    p = subprocess.run(["/usr/bin/python3", os.path.join(src, "scripts", "rcplot.py"), fit_path,
                        sim_path, "--kind", "fit", "-o", outdir, "--format", "png"],
                       capture_output=True, text=True, timeout=300)
    check(p.returncode == 0 and all(os.path.isfile(os.path.join(outdir, n)) for n in
                                    ("fit_sizes.png", "fit_growth.png")),
          f"rcplot --kind fit: exit {p.returncode}: {p.stderr}")


def f_mean(fit_path):
    with h5py.File(fit_path, "r") as f:
        return float(np.mean(f["cascades"]["size"][()]))


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    exe, src, data = (os.path.abspath(x) for x in sys.argv[1:])
    with tempfile.TemporaryDirectory(prefix="rc_fit_") as tmp:
        # The config, word for word, in a folder beside ../shared/data.
        os.makedirs(os.path.join(tmp, "shared", "data"))
        for name in ("auspol_retweet_cascades.csv", "seismic_tweet.csv"):
            shutil.copy(os.path.join(data, name), os.path.join(tmp, "shared", "data"))
        work = os.path.join(tmp, "work")
        os.makedirs(work)
        with open(os.path.join(work, "auspol_mpl.yaml"), "w") as fh:
            fh.write(MINIMAL)
        p = fit(exe, ["auspol_mpl.yaml"], cwd=work)
        print(p.stdout)
        out = os.path.join(work, "results", "auspol_mpl.h5")
        if check(p.returncode == 0 and os.path.isfile(out),
                 f"minimal config: exit {p.returncode}, {p.stderr}"):
            check("fit: results/auspol_mpl.h5" in p.stdout and "n*" in p.stdout, "printed table")
            est, model, cas = check_layout(out, data)
            check_model(model, est, cas)
            check_simulation(exe, tmp, model, est)
            check_plot(src, out, os.path.join(tmp, "simulate.h5"), tmp)
            # An existing file is kept without --force.
            before = os.path.getmtime(out)
            p = fit(exe, ["auspol_mpl.yaml"], cwd=work)
            check(p.returncode == 2 and "exists; use --force" in p.stderr,
                  f"existing file refused: {p.returncode} {p.stderr}")
            check(os.path.getmtime(out) == before, "existing file untouched")
        # --set and -o: mEXP with a hold-out and predictions by both methods.
        o2 = os.path.join(tmp, "mexp.h5")
        p = fit(exe, ["auspol_mpl.yaml", "--set", "model.kernel=exponential", "--set",
                      "data.holdout=0.25", "--set", "predict={at: [600, 3600], methods: "
                      "[hawkes, seismic]}", "-o", o2, "--quiet"], cwd=work)
        if check(p.returncode == 0 and p.stdout.strip() == o2, f"--set, -o: {p.stderr}"):
            with h5py.File(o2, "r") as f:
                check(s(f.attrs["model"]) == "mEXP", "--set model.kernel")
                held = int(f.attrs["n_heldout"])
                check(600 < held < 1050 and int(f.attrs["n_cascades"]) == 3333 - held,
                      f"held out {held}")
                pr = f["predictions"][()]
                check(len(pr) == 4 * held, f"{len(pr)} predictions for {held} cascades")
                for col in ("cascade", "method", "observed_until", "observed_size",
                            "predicted_final", "low", "high", "final_size"):
                    check(col in pr.dtype.names, f"/predictions column {col}")
                check(bool(np.all(pr["heldout"] == 1)), "predictions of held-out cascades")
                check(bool(np.all(pr["predicted_final"] >= pr["observed_size"])),
                      "predicted >= observed")
                seis = pr[pr["method"] == b"seismic"]
                check(bool(np.all(seis["low"] <= seis["predicted_final"])), "SEISMIC interval")
                check("--set" in s(f.attrs["command_line"]), "command line recorded")
        # Every config shipped in configs/fit runs from a fresh clone's layout.
        for name in sorted(os.listdir(os.path.join(src, "configs", "fit"))):
            o3 = os.path.join(tmp, name + ".h5")
            p = fit(exe, [os.path.join(src, "configs", "fit", name), "-o", o3, "--quiet"])
            check(p.returncode == 0, f"configs/fit/{name}: exit {p.returncode} {p.stderr}")
        p = fit(exe, ["--help"])
        check(p.returncode == 0 and "usage: rtcascade fit" in p.stdout, "fit --help")
        p = fit(exe, [])
        check(p.returncode == 2 and "no config given" in p.stderr, "fit without a config")
    return finish("test_fit")


if __name__ == "__main__":
    sys.exit(main())
