#!/usr/bin/env python3
"""scripts/rcload.py and `rtcascade info` on results files written by the C writer.

Usage: test_rcload.py TEST_RESULTS_H5 RTCASCADE RCLOAD_PY
TEST_RESULTS_H5 (the unit test binary) writes a complete sample (8 points x 300 runs, 2
scenarios, a numeric and a string swept key) and a partial one (3 of 8 points). Checks: h5py
reads every dataset; the pandas one-liner works; strings decode; /summary and /curves agree with
/runs; the partial file loads with pending points; the script and `rtcascade info` describe
both files, and fail cleanly on a missing file; run by a Python without numpy and h5py (here
the same Python with its site packages off, -S), the scripts name that Python and what to
install in one line.
"""
import importlib.util
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np
import pandas as pd

failures = 0


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print(f"FAILED: {what}", file=sys.stderr)


def main():
    writer, cli, rcload_py = sys.argv[1:4]
    spec = importlib.util.spec_from_file_location("rcload", rcload_py)
    rcload = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(rcload)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "sample.h5")
        partial = path + ".partial.h5"
        subprocess.run([writer, path], check=True)

        # --- h5py and pandas, no rcload ---
        with h5py.File(path, "r") as f:
            names = []
            f.visititems(lambda n, o: names.append(n) if isinstance(o, h5py.Dataset) else None)
            for n in names:
                f[n][()]  # every dataset reads
                # format 2: every dataset with data is checksummed, chunk by chunk
                check(f[n].size == 0 or f[n].fletcher32, f"/{n} is Fletcher-32 checksummed")
            for n in ("points", "runs", "summary", "curves/generations", "curves/size_ccdf",
                      "curves/time", "networks/stats", "networks/0/out_degree_hist",
                      "networks/0/in_degree_hist"):
                check(n in names, f"dataset /{n} present")
            runs = pd.DataFrame(f["runs"][()])
            check(len(runs) == 2400, "pandas one-liner gives 2400 runs")
            check(list(runs.columns) == ["point", "run", "size", "retweets", "reach", "depth",
                                         "max_breadth", "virality", "final_time", "t50", "t90",
                                         "global", "capped", "reach_per_member"],
                  "runs columns")
            a = f.attrs
            # format 2 stores strings fixed-length (no global heap): h5py gives bytes
            dec = lambda v: v.decode() if isinstance(v, bytes) else v  # noqa: E731
            check(dec(a["format"]) == "rtcascade-results" and a["format_version"] == 2, "format")
            check(isinstance(a["config"], bytes) and isinstance(a["resolved_config"], bytes),
                  "config attributes are fixed-length strings (bytes in h5py)")
            check(int(a["seed"]) == 11 and dec(a["rng"]) == "rc_xoshiro256pp", "seed and rng")
            check([dec(k) for k in a["swept_keys"]] == ["model.p", "seeds.strategy"], "swept_keys")
            check([dec(k) for k in a["scenarios"]] == ["one_seed", "three_seeds"], "scenarios")
            for k in ("software_version", "git_commit", "created", "command_line", "name"):
                check(isinstance(a[k], bytes) and a[k] != b"", f"attribute {k}")
            check(f["runs"].compression == "gzip" and f["runs"].shuffle, "runs compressed")

        # --- rcload ---
        r = rcload.load(path)
        p = r.points
        check(len(p) == 8 and r.complete, "8 points, complete")
        check(p["scenario"].tolist() == ["one_seed"] * 4 + ["three_seeds"] * 4, "scenario str")
        check(p["model.p"].dtype == np.float64 and
              p["model.p"].tolist() == [0.1, 0.1, 0.35, 0.35] * 2, "numeric swept column")
        check(p["seeds.strategy"].tolist() == ["random", "top_followers"] * 4,
              "string swept column decoded")
        check((p["network"] == 0).all() and (p["runs"] == 300).all(), "network and runs")
        runs = r.runs
        check(len(runs) == 2400 and (runs.groupby("point").size() == 300).all(), "runs/point")
        check(runs["t50"].isna().all(), "t50 NaN for an untimed model")
        by = runs.groupby("point")
        np.testing.assert_allclose(p["retweets_mean"], by["retweets"].mean(), rtol=1e-12)
        np.testing.assert_allclose(p["reach_median"], by["reach"].median(), rtol=1e-12)
        np.testing.assert_allclose(p["virality_sd"], by["virality"].std(), rtol=1e-9)
        np.testing.assert_allclose(p["p_global"], by["global"].mean(), rtol=1e-12)
        check(p["t90_mean"].isna().all(), "time summaries NaN")
        gens = r.curves(kind="generations")
        np.testing.assert_allclose(gens.groupby("point")["adoptions_mean"].sum(),
                                   by["size"].mean(), rtol=1e-12)
        for point in range(8):
            c = r.curves(point, "size_ccdf")
            sizes = runs.loc[runs["point"] == point, "size"].to_numpy()
            expect = [(sizes >= s).mean() for s in c["size"]]
            np.testing.assert_allclose(c["ccdf"], expect, rtol=1e-12)
            check(c["size"].iloc[-1] == sizes.max(), "ccdf reaches the largest size")
        check(set(r.curves(0)) == {"generations", "size_ccdf", "time", "growth"}, "curves dict")
        check(len(r.curves(kind="time")) == 0, "no time curve for an untimed model")
        nets = r.networks
        check(len(nets) == 1 and nets["nodes"][0] == 400 and
              nets["description"][0].startswith("erdos_renyi"), "networks decoded")
        check(r.degree_hist(0, "out").sum() == 400 and r.degree_hist(0, "in").sum() == 400,
              "degree histograms")
        check((r.degree_hist(0, "out") * np.arange(len(r.degree_hist(0, "out")))).sum() == 1200,
              "out-degree histogram sums to the edges")

        part = rcload.load(partial)
        check(not part.complete and (part.points["status"] == 1).sum() == 3, "partial: 3 done")
        check(part.points.loc[part.points["status"] == 0, "retweets_mean"].isna().all(),
              "pending points have NaN summaries")
        check(len(part.runs) == 900, "partial: 900 runs")
        # one point's runs without the others (rtcascade.Results.point_runs)
        fresh = rcload.load(path)
        for point in (0, 5, 7):
            one = fresh.point_runs(point)
            check(one.equals(runs[runs["point"] == point].reset_index(drop=True)),
                  f"point_runs({point}) equals the full table's rows")
        check(fresh._runs is None, "point_runs reads no other rows")
        check(len(rcload.load(partial).point_runs(5)) == 0, "a pending point has no runs")
        check(part.runs.equals(runs[runs["point"] < 3].reset_index(drop=True)),
              "partial runs equal the complete file's first points")

        # --- the script and rtcascade info ---
        out = subprocess.run([sys.executable, rcload_py, path], capture_output=True, text=True)
        check(out.returncode == 0 and "8 of 8 points done" in out.stdout and
              "top_followers" in out.stdout, f"rcload.py prints a summary: {out.stdout}")
        out = subprocess.run([sys.executable, rcload_py, os.path.join(tmp, "none.h5")],
                             capture_output=True, text=True)
        check(out.returncode != 0 and "rcload:" in out.stderr, "rcload.py on a missing file")
        scripts = os.path.dirname(os.path.abspath(rcload_py))
        # A Python without the modules ("-S": no site packages): with RTCASCADE_REEXEC=0 a
        # script says so in one line; else it runs again under one that has them (this one
        # without -S, via RTCASCADE_PYTHON), and says that in one line.
        alone = dict(os.environ, RTCASCADE_REEXEC="0")
        for script in ("rcload.py", "rcplot.py", "reproduce.py", "bench_peers.py"):
            out = subprocess.run([sys.executable, "-S", os.path.join(scripts, script), path],
                                 capture_output=True, text=True, env=alone)
            lines = out.stderr.strip().splitlines()
            check(out.returncode == 1 and len(lines) == 1 and sys.executable in out.stderr and
                  "lacks numpy" in out.stderr and "python3-h5py" in out.stderr,
                  f"{script} names a Python without h5py: {out.returncode} {out.stderr!r}")
        again = dict(os.environ, RTCASCADE_PYTHON=sys.executable)
        again.pop("RTCASCADE_REEXEC", None)
        out = subprocess.run([sys.executable, "-S", rcload_py, path], capture_output=True,
                             text=True, env=again)
        check(out.returncode == 0 and "8 of 8 points done" in out.stdout and
              out.stderr.strip() == f"rcload: this Python ({sys.executable}) lacks numpy, h5py, "
              f"pandas; running under {sys.executable}",
              f"rcload.py runs again under a Python that has them: {out.returncode} "
              f"{out.stderr!r}")
        for script in ("bench_ic.py", "bench_io_filters.py", "bench_peers.py", "bench_python.py",
                       "ground_rates.py", "grounded_figures.py", "rcplot.py", "reproduce.py",
                       "fit_compare.py", "calibrate_coverage.py", "study_figures.py"):
            out = subprocess.run([sys.executable, "-S", os.path.join(scripts, script), "--help"],
                                 capture_output=True, text=True, env=again)
            check(out.returncode == 0 and "running under" in out.stderr and
                  out.stdout.strip() != "",
                  f"{script} --help runs again under a Python that has its modules: "
                  f"{out.returncode} {out.stderr[-300:]!r}")
        out = subprocess.run([cli, "info", path], capture_output=True, text=True)
        check(out.returncode == 0 and "complete: all 8 points done" in out.stdout and
              "seeds.strategy = random, top_followers" in out.stdout and
              "results_test" in out.stdout, f"rtcascade info: {out.stdout}")
        out = subprocess.run([cli, "info", partial], capture_output=True, text=True)
        check(out.returncode == 0 and "INCOMPLETE: 3 of 8 points done" in out.stdout,
              f"rtcascade info on the partial file: {out.stdout}")
        out = subprocess.run([cli, "info", os.path.join(tmp, "none.h5")], capture_output=True,
                             text=True)
        check(out.returncode == 5 and out.stderr.count("\n") == 1 and "none.h5" in out.stderr,
              f"rtcascade info on a missing file: {out.returncode} {out.stderr}")
    print(f"test_rcload: {'ok' if failures == 0 else f'{failures} failures'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
