#!/usr/bin/env python3
"""`rtcascade run` end to end on a small sweep (tests/integration/sweep.yaml): the file holds
every table and h5py and pandas read them; --set overrides reach resolved_config and the
results; an existing output is refused untouched without --force; --threads changes no
dataset; --resume refuses another config; the progress line appears only on a terminal;
--dry-run and --quiet; an unwritable output path is an I/O error (exit 5); a scenario's own
zip sweep is described as such, with only the values it sweeps, by --dry-run and info, and
recorded in the scenario_sweeps attribute; swept map values (a delay kernel) get a typed column
per leaf beside their text in /points and /summary.

usage: test_run_sweep.py RTCASCADE"""
import hashlib
import os
import pty
import shutil
import subprocess
import sys
import tempfile

import h5py
import numpy as np
import pandas

from rcitest import check, compare_files, exe_from_argv, finish, run, text

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIG = os.path.join(HERE, "sweep.yaml")
SETS = ["--set", "runs=150", "--set", "network.mean_degree=5"]
N_POINTS, RUNS, NODES, EDGES = 6, 150, 2000, 10000


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def field(names, want):
    """The column called `want` (or ending in it), else None."""
    for n in names:
        if n == want:
            return n
    for n in names:
        if n.endswith(want):
            return n
    return None


def check_file(path):
    with h5py.File(path, "r") as f:
        # Every dataset reads.
        datasets = []
        f.visititems(lambda n, o: datasets.append(n) if isinstance(o, h5py.Dataset) else None)
        for name in datasets:
            f[name][()]
        print(f"read {len(datasets)} datasets: {', '.join(sorted(datasets))}")
        for table in ("points", "runs", "summary"):
            check(table in f, f"/{table} is missing")
        check(any(d.startswith("networks") for d in datasets), "no dataset under /networks")
        a = f.attrs
        check(text(a.get("format", "")) == "rtcascade-results", "format attribute")
        check(int(a.get("seed", -1)) == 20240601, "seed attribute")
        with open(CONFIG) as c:
            check(text(a.get("config", "")) == c.read(), "config attribute is the file as given")
        resolved = text(a.get("resolved_config", ""))
        check("runs: 150" in resolved, "--set runs=150 is in resolved_config")
        check("mean_degree: 5" in resolved, "--set network.mean_degree=5 is in resolved_config")
        check("--set" in text(a.get("command_line", "")), "command_line records the --set")
        for key in ("format_version", "software_version", "git_commit", "created", "rng"):
            check(key in a, f"root attribute {key}")

        points = f["points"][()]
        check(len(points) == N_POINTS, f"/points has {len(points)} rows, expected {N_POINTS}")
        names = points.dtype.names or ()
        sc = field(names, "scenario")
        pk = field(names, "model.p")
        if check(sc is not None and pk is not None, f"/points columns {names}"):
            scen = [text(s) for s in points[sc]]
            check(scen == ["one_seed"] * 3 + ["five_seeds"] * 3, f"scenarios {scen}")
            pv = [float(text(v)) if not isinstance(v, (float, np.floating)) else float(v)
                  for v in points[pk]]
            check(pv == [0.05, 0.2, 0.3] * 2, f"swept values {pv}")

        runs = f["runs"][()]
        check(len(runs) == N_POINTS * RUNS, f"/runs has {len(runs)} rows (--set runs=150)")
        summary = f["summary"][()]
        check(len(summary) == N_POINTS, f"/summary has {len(summary)} rows")

    # The one-liner of the docs.
    df = pandas.DataFrame(h5py.File(path)["runs"][()])
    for col in ("point", "run", "retweets", "reach"):
        check(col in df.columns, f"/runs column {col}")
    if "point" in df.columns and "retweets" in df.columns:
        per_point = df.groupby("point").size()
        check(list(per_point.index) == list(range(N_POINTS)) and (per_point == RUNS).all(),
              "every point has its runs")
        means = df.groupby("point")["retweets"].mean()
        # Larger p spreads further, in both scenarios (200 runs: differences are many SEs).
        for base in (0, 3):
            check(means[base] < means[base + 1] < means[base + 2],
                  f"mean retweets grow with p: {list(means[base:base + 3])}")
        sdf = pandas.DataFrame(h5py.File(path)["summary"][()])
        mcol = field(sdf.columns, "retweets_mean")
        if check(mcol is not None, f"/summary has a retweets mean column ({list(sdf.columns)})"):
            check(np.allclose(sdf[mcol].to_numpy(), means.to_numpy(), rtol=1e-12),
                  "/summary means equal the means of /runs")
    with h5py.File(path, "r") as f:
        found_edges = []
        f["networks"].visititems(
            lambda n, o: found_edges.extend(np.ravel(o["edges"]).tolist())
            if isinstance(o, h5py.Dataset) and o.dtype.names and "edges" in o.dtype.names
            else None)
        found_edges += [int(o.attrs["edges"]) for o in f["networks"].values()
                        if "edges" in o.attrs]
        check(EDGES in found_edges, f"/networks records {EDGES} edges (--set mean_degree=5): "
                                    f"{found_edges}")


ZIP = """name: zipt
seed: 3
runs: 20
network: {generator: erdos_renyi, nodes: 500, mean_degree: 5}
model: {name: independent_cascade, p: 0.1}
scenarios:
  a: {seeds: {strategy: random, count: 1}}
  b:
    audience: {size: 50, pick: random, engagement: 0.1}
    sweep:
      mode: zip
      audience.engagement: [0.01, 0.02, 0.05]
      network.mean_degree: [3, 5, 8]
sweep:
  model.p: [0.1, 0.2]
"""


def test_zip_plans(exe, tmp):
    """Scenario b zips two keys: 2 x 3 points, not the 2 x 3 x 3 of a grid; its keys are not
    listed with a's base values (or an empty one where a has no audience)."""
    cfg = os.path.join(tmp, "zip.yaml")
    with open(cfg, "w") as f:
        f.write(ZIP)
    plan_b = "model.p (2) x zip(audience.engagement, network.mean_degree) (3)"
    p = run(exe, [cfg, "--dry-run"], cwd=tmp)
    check(p.returncode == 0, f"zip --dry-run: {p.stderr}")
    for want in ("a: model.p (2) = 2 points", f"b: {plan_b} = 6 points",
                 "audience.engagement: 0.01, 0.02, 0.05 (in b only)",
                 "network.mean_degree: 3, 5, 8 (in b only)", "points:      8 (a 2, b 6)"):
        check(want in p.stdout, f"--dry-run of a zip scenario prints {want!r}: {p.stdout}")
    check("engagement: ," not in p.stdout and "grid" not in p.stdout,
          f"--dry-run shows no empty value and no grid: {p.stdout}")
    out = os.path.join(tmp, "zip.h5")
    p = run(exe, [cfg, "-o", out, "--quiet"], cwd=tmp)
    check(p.returncode == 0, f"zip run: {p.stderr}")
    with h5py.File(out, "r") as f:
        plans = [text(x) for x in f.attrs["scenario_sweeps"]]
    check(plans == ["model.p (2)", plan_b], f"scenario_sweeps attribute: {plans}")
    p = subprocess.run([exe, "info", out], capture_output=True, text=True)
    check(p.returncode == 0, f"info: {p.stderr}")
    for want in ("a: model.p (2)", f"b: {plan_b}",
                 "audience.engagement = 0.01, 0.02, 0.05 (in b only)",
                 "network.mean_degree = 3, 5, 8 (in b only)"):
        check(want in p.stdout, f"info of a zip scenario prints {want!r}: {p.stdout}")
    check("grid" not in p.stdout, f"info does not call it a grid: {p.stdout}")


KERNELS = """name: kernels
seed: 2
runs: 50
network: {generator: erdos_renyi, nodes: 300, mean_degree: 3}
model: {name: continuous_cascade, p: 0.3}
sweep:
  model.delay: [{distribution: exponential, rate: 1}, {distribution: lognormal, mu: 0.5, sigma: 1}]
"""


def test_flat_maps(exe, tmp):
    cfg = os.path.join(tmp, "kernels.yaml")
    with open(cfg, "w") as f:
        f.write(KERNELS)
    out = os.path.join(tmp, "kernels.h5")
    p = run(exe, [cfg, "-o", out, "--quiet"], cwd=tmp)
    check(p.returncode == 0, f"kernel sweep: {p.stderr}")
    if p.returncode != 0:
        return
    with h5py.File(out, "r") as f:
        for table in ("points", "summary"):
            d = f[table][()]
            names = d.dtype.names
            want = ["model.delay", "model.delay.distribution", "model.delay.rate",
                    "model.delay.mu", "model.delay.sigma"]
            at = names.index("model.delay")
            check(list(names[at:at + 5]) == want,
                  f"/{table}: the leaves follow their key's text column: {names}")
            check(d.dtype["model.delay.mu"].kind == "f" and d.dtype["model.delay.distribution"].kind == "S",
                  f"/{table}: numbers are float64, text is text: {d.dtype}")
            mu = d["model.delay.mu"]
            check(np.isnan(mu[0]) and mu[1] == 0.5 and d["model.delay.rate"][0] == 1.0,
                  f"/{table}: a missing leaf is NaN: {mu}")
            check([text(x) for x in d["model.delay.distribution"]] == ["exponential", "lognormal"],
                  f"/{table}: distribution column: {d['model.delay.distribution']}")
    p = subprocess.run([exe, "info", out], capture_output=True, text=True)
    check("{distribution: exponential, rate: 1}" in p.stdout,
          f"info shows a map value on one line: {p.stdout}")


def main():
    exe = exe_from_argv()
    tmp = tempfile.mkdtemp(prefix="rc_sweep_")
    try:
        # Default output (results/ is created in the working folder).
        p = run(exe, [CONFIG] + SETS, cwd=tmp)
        out = os.path.join(tmp, "results", "itest_sweep.h5")
        check(p.returncode == 0, f"run exit {p.returncode}: {p.stderr}")
        check(os.path.exists(out), "results/itest_sweep.h5 was written")
        check(not os.path.exists(out + ".journal"), "the journal is gone after a complete run")
        check("five_seeds" in p.stdout and "results/itest_sweep.h5" in p.stdout,
              "summary table on stdout")
        print(p.stdout)
        if os.path.exists(out):
            check_file(out)

            # An existing output is refused, untouched.
            before, mtime = digest(out), os.stat(out).st_mtime_ns
            p = run(exe, [CONFIG] + SETS, cwd=tmp)
            check(p.returncode == 2, f"existing output: exit {p.returncode}, expected 2")
            check("exists" in p.stderr and "--force" in p.stderr, f"message: {p.stderr.strip()}")
            check(digest(out) == before and os.stat(out).st_mtime_ns == mtime,
                  "existing output untouched")
            p = run(exe, [CONFIG, "--force", "--quiet"] + SETS, cwd=tmp)
            check(p.returncode == 0, f"--force: exit {p.returncode}: {p.stderr}")
            check(p.stdout == "results/itest_sweep.h5\n", f"--quiet prints the path: {p.stdout!r}")
            check(p.stderr == "", f"--quiet: nothing on stderr: {p.stderr!r}")

            # --resume of a file made from another config is refused, file untouched.
            before = digest(out)
            p = run(exe, [CONFIG, "--resume", "--set", "seed=5"] + SETS, cwd=tmp)
            check(p.returncode == 2, f"--resume with another seed: exit {p.returncode}, "
                                     f"expected 2: {p.stderr.strip()}")
            check(digest(out) == before, "file untouched by a refused --resume")
            # --resume of a complete file runs nothing and changes nothing.
            p = run(exe, [CONFIG, "--resume", "--quiet"] + SETS, cwd=tmp)
            check(p.returncode == 0, f"--resume of a complete file: exit {p.returncode}")

        # The progress line goes to stderr only when it is a terminal.
        master, slave = pty.openpty()
        proc = subprocess.Popen([exe, "run", CONFIG, "-o", os.path.join(tmp, "tty.h5")] + SETS,
                                cwd=tmp, stdout=subprocess.PIPE, stderr=slave)
        os.close(slave)
        stdout, _ = proc.communicate(timeout=120)
        tty = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            tty += chunk
        os.close(master)
        check(proc.returncode == 0, f"run with a terminal on stderr: exit {proc.returncode}")
        check(b"6/6 points" in tty and b"runs/s" in tty, f"progress line on the terminal: {tty!r}")
        check(b"points" in stdout and b"runs/s" not in stdout, "no progress line on stdout")

        # Thread count changes no dataset (and the forced rerun equals the first file).
        t1, t2 = os.path.join(tmp, "t1.h5"), os.path.join(tmp, "t2.h5")
        p1 = run(exe, [CONFIG, "-o", t1, "--threads", "1", "--quiet"] + SETS, cwd=tmp)
        p2 = run(exe, [CONFIG, "-o", t2, "--threads", "2", "--quiet"] + SETS, cwd=tmp)
        check(p1.returncode == 0 and p2.returncode == 0, f"threads runs: {p1.stderr}{p2.stderr}")
        if p1.returncode == 0 and p2.returncode == 0:
            d = compare_files(t1, t2)
            check(d == [], "--threads 1 vs 2 differ: " + "; ".join(d))
            d = compare_files(t1, out)
            check(d == [], "--threads 1 vs default threads differ: " + "; ".join(d))

        # --dry-run: the plan, and no file.
        dry = os.path.join(tmp, "dry", "dry.h5")
        p = run(exe, [CONFIG, "-o", dry, "--dry-run"] + SETS, cwd=tmp)
        check(p.returncode == 0, f"--dry-run exit {p.returncode}: {p.stderr}")
        for want in ("points:      6", "networks:    1", "total runs:  900", "model.p",
                     "five_seeds", dry):
            check(want in p.stdout, f"--dry-run prints {want!r}")
        check(not os.path.exists(dry), "--dry-run writes nothing")

        test_zip_plans(exe, tmp)
        test_flat_maps(exe, tmp)

        # An output path that cannot be made is an I/O error, before any work.
        blocker = os.path.join(tmp, "a_file")
        open(blocker, "w").close()
        p = run(exe, [CONFIG, "-o", os.path.join(blocker, "x.h5")] + SETS, cwd=tmp)
        check(p.returncode == 5, f"unwritable output: exit {p.returncode}, expected 5")
        check("a_file" in p.stderr, f"message names the path: {p.stderr.strip()}")
    finally:
        if not os.environ.get("RC_KEEP_TMP"):
            shutil.rmtree(tmp, ignore_errors=True)
    return finish("test_run_sweep")


if __name__ == "__main__":
    sys.exit(main())
