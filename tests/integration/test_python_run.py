#!/usr/bin/env python3
"""rtcascade.run and rtcascade.load (python/rtcascade, with PYTHONPATH=build/python):

- a config file through rtcascade.run and through `rtcascade run` gives the same file, dataset
  for dataset and bit for bit (provenance attributes aside); so does the same config as a dict,
  with set= overrides as on the command line, and on one thread;
- the progress bar draws on request; an existing output is refused (OutputExistsError),
  overwrite=True replaces it; resuming another experiment's file is a MismatchError;
- SIGINT during run() keeps the finished points, raises Interrupted saying how to finish, and
  resume=True finishes a file equal to an uninterrupted one;
- Results: per-point reads equal the full table and read only that point's rows; swept map
  values (a delay kernel) become typed columns; to_xarray has the scenario and swept keys as
  dimensions; config comes back as a dict.

usage: test_python_run.py RTCASCADE"""
import contextlib
import io
import os
import signal
import subprocess
import sys
import tempfile
import threading

import numpy as np
import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rcitest import check, compare_files, finish  # noqa: E402

import rtcascade  # noqa: E402
import rtcascade.results  # noqa: E402

CONFIG = """name: pyrun
seed: 11
runs: 300
network: {generator: dcsbm, nodes: 4000, mean_degree: 6, communities: 4}
model: {name: independent_cascade, p: 0.05}
scenarios:
  seeded: {seeds: {strategy: top_fraction, count: 2, fraction: 0.1}}
  author: {audience: {size: 60, pick: top_followers_in_community, community: 1, engagement: 0.2}}
sweep:
  model.p: [0.05, 0.1, 0.2]
  network.mixing: [0.1, 0.4]
"""

KERNELS = """name: kernels
seed: 2
runs: 100
network: {generator: erdos_renyi, nodes: 500, mean_degree: 3}
model: {name: continuous_cascade, p: 0.3}
sweep:
  model.delay: [{distribution: exponential, rate: 1}, {distribution: lognormal, mu: 0.5, sigma: 1}]
"""


def cli(exe, *args):
    p = subprocess.run([exe, "run", *args], capture_output=True, text=True, timeout=300)
    check(p.returncode == 0, f"rtcascade run {' '.join(args)}: {p.stderr}")
    return p


def test_same_files(exe, tmp):
    cfg = os.path.join(tmp, "pyrun.yaml")
    with open(cfg, "w") as f:
        f.write(CONFIG)
    ref = os.path.join(tmp, "cli.h5")
    cli(exe, cfg, "-o", ref, "--quiet", "--set", "runs=200")
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        r = rtcascade.run(cfg, output=os.path.join(tmp, "py.h5"), set=["runs=200"],
                          progress=True)
    check(isinstance(r, rtcascade.Results) and r.complete and len(r.points) == 12,
          f"run returns the loaded results: {r}")
    diffs = compare_files(ref, r.path)
    check(diffs == [], f"rtcascade.run writes the CLI's file: {diffs[:5]}")
    check("12/12 points" in err.getvalue() and "runs/s" in err.getvalue(),
          f"the progress bar: {err.getvalue()[-200:]!r}")
    check(r.attrs["command_line"].startswith("python: rtcascade.run("),
          f"the command line says who made it: {r.attrs['command_line']}")

    as_dict = yaml.safe_load(CONFIG)
    d = rtcascade.run(as_dict, output=os.path.join(tmp, "dict.h5"), set={"runs": 200},
                      threads=1, progress=False)
    diffs = compare_files(ref, d.path, only=["/runs", "/summary", "/curves", "/points",
                                              "/networks"])
    check(diffs == [], f"the config as a dict, on one thread, gives the same data: {diffs[:5]}")

    try:
        rtcascade.run(cfg, output=r.path, set=["runs=200"], progress=False)
        check(False, "an existing output is refused")
    except rtcascade.OutputExistsError as e:
        check("exists" in str(e) and isinstance(e, FileExistsError), f"OutputExistsError: {e}")
    r2 = rtcascade.run(cfg, output=r.path, set=["runs=200"], overwrite=True, progress=False)
    check(compare_files(ref, r2.path) == [], "overwrite=True replaces it")
    try:
        rtcascade.run(cfg, output=r.path, set=["runs=201"], resume=True, progress=False)
        check(False, "resuming another experiment's file is refused")
    except rtcascade.MismatchError as e:
        check("runs" in str(e), f"MismatchError names the difference: {e}")
    return ref, r


def test_interrupt_resume(exe, tmp):
    cfg = os.path.join(tmp, "long.yaml")
    with open(cfg, "w") as f:
        f.write(CONFIG.replace("runs: 300", "runs: 1000").replace("nodes: 4000", "nodes: 8000"))
    ref = os.path.join(tmp, "long_cli.h5")
    cli(exe, cfg, "-o", ref, "--quiet")
    out = os.path.join(tmp, "long_py.h5")
    timer = threading.Timer(0.8, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    try:
        rtcascade.run(cfg, output=out, progress=False)
        check(False, "SIGINT stops run()")
    except rtcascade.Interrupted as e:
        check("points are complete in" in str(e) and "resume=True" in str(e),
              f"Interrupted says what is kept and how to finish: {e}")
    timer.join()
    part = rtcascade.load(out)
    done = int((part.points["status"] == 1).sum())
    check(done < 12, f"the interrupted file holds the finished points only ({done} of 12)")
    r = rtcascade.run(cfg, output=out, resume=True, progress=False)
    diffs = compare_files(ref, r.path, only=["/runs", "/summary", "/curves", "/points"])
    check(r.complete and diffs == [], f"resume=True finishes it as one run would: {diffs[:5]}")


def test_results(exe, ref, tmp):
    r = rtcascade.load(ref)
    asked = []
    real = rtcascade.results.table

    def spy(dset, rows=None):
        asked.append((dset.name, rows))
        return real(dset, rows)
    rtcascade.results.table = spy
    try:
        one = r.point_runs(7)
    finally:
        rtcascade.results.table = real
    reads = [rows for name, rows in asked if name == "/runs"]
    at = r.summary["point"].tolist().index(7)  # /runs holds the points in run order
    check(len(reads) == 1 and reads[0] == slice(at * 200, (at + 1) * 200) and r._runs is None,
          f"point_runs reads one point's rows only: {reads}")
    full = r.runs
    check(one.equals(full[full["point"] == 7].reset_index(drop=True)) and len(one) == 200,
          "point_runs equals the full table's rows")
    check(r.point_runs([3, 5])["point"].tolist() == [3] * 200 + [5] * 200, "a list of points")
    check(len(r.point_runs(99)) == 0, "a point that is not there has no runs")

    ds = r.to_xarray()
    check(set(ds.dims) == {"scenario", "model.p", "network.mixing"} and
          ds["retweets_mean"].shape == (2, 3, 2), f"to_xarray over the grid: {dict(ds.sizes)}")
    check(r.config["model"]["p"] == 0.05, "config as a dict")

    cfg = os.path.join(tmp, "kernels.yaml")
    with open(cfg, "w") as f:
        f.write(KERNELS)
    k = rtcascade.run(cfg, output=os.path.join(tmp, "kernels.h5"), progress=False)
    p = k.points
    check(p["model.delay.distribution"].tolist() == ["exponential", "lognormal"] and
          np.isnan(p["model.delay.mu"][0]) and p["model.delay.mu"][1] == 0.5 and
          p["model.delay.rate"][0] == 1.0 and p["model.delay"][0].startswith("distribution:"),
          f"swept maps as typed columns beside their text: {list(p.columns)[:8]}")
    ds = k.to_xarray()
    check("point" in ds.dims or "model.delay" in ds.dims, "to_xarray on a sweep of maps")


def main():
    exe = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        ref, _ = test_same_files(exe, tmp)
        test_results(exe, ref, tmp)
        test_interrupt_resume(exe, tmp)
    return finish("test_python_run")


if __name__ == "__main__":
    sys.exit(main())
