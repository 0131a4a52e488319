#!/usr/bin/env python3
"""scripts/rcplot.py (a command line over rtcascade.plot) on small results files written by
`rtcascade run`: as a command (every expected figure written as a real PNG, and a PDF) and as a
module (each function returns its Axes or Figure), on a two-key sweep with two scenarios
(tests/integration/plot.yaml), a timed single point without scenarios or sweep, an all-zero
experiment, an interrupted file, audience scenarios (reach_per_member, generation 0 empty) and a
scenario with a zip sweep of its own beside a grid one (its keys vary together in the line,
CCDF and heat-map views; cells the sweep never had are hatched, not "not run yet"); the heat
map's labels do not run into each other across panels; importing the figures chooses no
matplotlib backend; and crossing() on synthetic curves with known crossings.

usage: test_rcplot.py RTCASCADE RCPLOT_PY"""
import contextlib
import importlib.util
import io
import itertools
import os
import shutil
import subprocess
import sys
import tempfile

import h5py
import numpy as np
import pandas as pd

from rcitest import check, finish, run

HERE = os.path.dirname(os.path.abspath(__file__))
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

TIMED = """name: plot_timed
seed: 5
runs: 200
network: {generator: erdos_renyi, nodes: 1500, mean_degree: 4}
model: {name: continuous_cascade, p: 0.2}
"""
ZERO = """name: plot_zero
seed: 5
runs: 50
network: {generator: erdos_renyi, nodes: 500, mean_degree: 4}
model: {name: independent_cascade, p: 0}
sweep:
  seeds.count: [1, 2, 3]
"""
ZIP = """name: plot_zip
seed: 5
runs: 50
network: {generator: erdos_renyi, nodes: 500, mean_degree: 4}
model: {name: independent_cascade, p: 0.1}
sweep:
  mode: zip
  model.p: [0.05, 0.1, 0.2]
  seeds.count: [1, 2, 3]
"""


AUDIENCE = """name: plot_audience
seed: 5
runs: 100
network: {generator: chung_lu, nodes: 3000, mean_degree: 6}
model: {name: independent_cascade, p: 0.05}
scenarios:
  handpicked: {audience: {size: 30, pick: top_followers, engagement: 0.2}}
  broadcast: {audience: {size: 300, pick: random, engagement: 0.02}}
sweep:
  audience.engagement: {from: 0.01, to: 0.3, num: 4, log: true}
"""

# A scenario with a zip sweep of its own, beside one with a grid of the same keys.
ZIP_SCENARIO = """name: plot_zip_scenario
seed: 5
runs: 60
network: {generator: erdos_renyi, nodes: 600, mean_degree: 4}
model: {name: independent_cascade, p: 0.1}
scenarios:
  paired:
    audience: {size: 50, pick: random, engagement: 0.1}
    sweep: {mode: zip, model.p: [0.01, 0.1, 0.3], audience.engagement: [0.3, 0.1, 0.05]}
  grid:
    audience: {size: 50, pick: random, engagement: 0.1}
    sweep: {model.p: [0.01, 0.1, 0.3], audience.engagement: [0.3, 0.05]}
"""


def good_png(path, min_bytes=5000):
    if not os.path.isfile(path):
        return False
    with open(path, "rb") as f:
        head = f.read(8)
    return head == PNG_MAGIC and os.path.getsize(path) > min_bytes


def good_pdf(path):
    with open(path, "rb") as f:
        return f.read(5) == b"%PDF-" and os.path.getsize(path) > 3000


def make(cli, config, out, cwd):
    p = run(cli, [config, "-o", out, "--quiet"], cwd=cwd)
    check(p.returncode == 0, f"rtcascade run {config}: {p.returncode} {p.stderr}")
    return out


def truncate(src, dst, keep):
    """A copy of src as an interrupted run leaves it: only points < keep finished."""
    shutil.copy(src, dst)
    with h5py.File(dst, "a") as f:
        for name in ("runs", "summary", "curves/generations", "curves/size_ccdf",
                     "curves/time"):
            d = f[name]
            n = int((d["point"][()] < keep).sum()) if d.shape[0] else 0
            d.resize((n,))
        pts = f["points"][()]
        pts["status"][keep:] = 0
        f["points"][...] = pts
        f.attrs["points_done"] = np.uint64(keep)


def run_cli(rcplot_py, args):
    return subprocess.run([sys.executable, rcplot_py] + args, capture_output=True, text=True,
                          timeout=120)


def run_main(rcplot, args):
    """rcplot.main in this process (as the command, without another interpreter's start-up):
    (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = rcplot.main(args)
    return rc, out.getvalue(), err.getvalue()


def test_crossing(rcplot):
    # a = x rising, b = 1 - x falling: they cross once at x = 0.5, where both are 0.5
    x = [0.0, 0.25, 0.75, 1.0]
    df = pd.DataFrame({"scenario": ["a"] * 4 + ["b"] * 4, "model.p": x + x,
                       "reach_mean": x + [1 - v for v in x]})
    c = rcplot.crossing(df, "model.p", "reach")
    check(len(c) == 1 and abs(c[0].x - 0.5) < 1e-12 and abs(c[0].y - 0.5) < 1e-12
          and c[0].above == "a", f"one crossing at x = 0.5: {c}")
    # an off-grid crossing by linear interpolation: d = [-1, +3] between 2 and 4 -> x = 2.5
    df2 = pd.DataFrame({"scenario": ["a", "a", "a", "b", "b", "b"], "p": [1, 2, 4] * 2,
                        "reach_mean": [1.0, 2.0, 8.0, 3.0, 3.0, 5.0]})
    c = rcplot.crossing(df2, "p", "reach", logx=False)
    check(len(c) == 1 and abs(c[0].x - 2.5) < 1e-12 and abs(c[0].y - 3.5) < 1e-12,
          f"crossing interpolated at 2.5: {c}")
    check(rcplot.crossing(df2, "p", "reach", "b", "a")[0].above == "a", "above is a either way")
    # parallel curves do not cross; a tie at one value between opposite signs counts once
    df3 = df2.assign(reach_mean=[1.0, 2.0, 3.0, 2.0, 3.0, 4.0])
    check(rcplot.crossing(df3, "p", "reach") == [], "no crossing")
    df4 = df2.assign(reach_mean=[1.0, 3.0, 5.0, 2.0, 3.0, 4.0])
    c = rcplot.crossing(df4, "p", "reach", logx=False)
    check(len(c) == 1 and c[0].x == 2.0, f"tie at a sweep value: {c}")
    # noise: the lead changes four times within the error bars but only once for real
    xs = [1, 2, 3, 4, 5, 6]
    da, db = [0, 5.1, 4.9, 5.1, 4.9, 10], [5, 5.0, 5.0, 5.0, 5.0, 5]
    df5 = pd.DataFrame({"scenario": ["a"] * 6 + ["b"] * 6, "p": xs + xs,
                        "reach_mean": da + db, "reach_se": [0.5] * 12})
    check(len(rcplot.crossing(df5, "p", "reach")) == 5, "every raw sign change")
    c = rcplot.crossing(df5, "p", "reach", min_z=1.96)
    check(len(c) == 1 and 1 < c[0].x < 6 and c[0].above == "a",
          f"one significant change of lead: {c}")


def label_clashes(fig, axes):
    """Pairs of axis and tick labels of different panels (or the shared x label) that
    overlap once drawn."""
    fig.canvas.draw()
    rend = fig.canvas.get_renderer()
    boxes = []
    for i, ax in enumerate(axes):
        for t in [ax.xaxis.label, ax.yaxis.label] + ax.get_xticklabels() + ax.get_yticklabels():
            if t.get_visible() and t.get_text():
                boxes.append((i, t.get_text(), t.get_window_extent(rend)))
    sup = getattr(fig, "_supxlabel", None)
    if sup is not None and sup.get_text():
        boxes.append((-1, sup.get_text(), sup.get_window_extent(rend)))
    return [(a, b) for (i, a, ba), (j, b, bb) in itertools.combinations(boxes, 2)
            if i != j and ba.overlaps(bb)]


def test_zip_scenario(rcplot, path):
    """Issue 15: a scenario's own zip sweep is not a grid."""
    import matplotlib.pyplot as plt
    r = rcplot.load(path)
    ax = rcplot.mean_vs(r, "model.p", "reach")
    n = {line.get_label(): len(line.get_xdata()) for line in ax.get_lines()}
    check(n.get("paired") == 3 and n.get("grid") == 3,
          f"mean_vs: the zipped scenario has its 3 points, not one: {n}")
    check("audience.engagement paired with it" in "".join(t.get_text() for t in ax.texts),
          "mean_vs names the key paired with x")
    plt.close("all")
    try:
        ax = rcplot.ccdf(r, "size", by="model.p", where={"scenario": "paired"})
        check(len(ax.get_lines()) == 3, f"ccdf by model.p: a line per value "
                                        f"({len(ax.get_lines())})")
    except ValueError as e:
        check(False, f"ccdf by a key of a scenario's zip sweep: {e}")
    plt.close("all")
    fig = rcplot.heatmap(r, "audience.engagement", "model.p", "reach")
    title = fig._suptitle.get_text()
    hatched = [len([p for p in a.patches if p.get_hatch()]) for a in fig.axes[:2]]
    check("hatched: not in the sweep" in title and "not run yet" not in title and
          hatched == [6, 3], f"heat map: cells outside the sweep hatched, not 'not run yet' "
                             f"({title!r}, {hatched})")
    check(label_clashes(fig, fig.axes[:2]) == [],
          f"heat map labels do not overlap: {label_clashes(fig, fig.axes[:2])}")
    plt.close("all")
    stems = [f[0] for f in rcplot.plan(r)[0]]
    check(any(s.startswith("heatmap_") for s in stems), "the grid scenario still has a heat map")


def test_no_backend_forced(rcplot_py):
    """Importing the figures (package, rcplot.py, study_figures.py) with a display leaves
    matplotlib's backend alone: a notebook or a desktop keeps its own."""
    scripts = os.path.dirname(os.path.abspath(rcplot_py))
    code = ("import sys, matplotlib, matplotlib.pyplot; sys.path.insert(0, %r)\n"
            "before = dict.__getitem__(matplotlib.rcParams, 'backend')\n"
            "import rcplot, study_figures\n"
            "from rtcascade import plot\n"
            "print(before == dict.__getitem__(matplotlib.rcParams, 'backend'))\n") % scripts
    env = dict(os.environ, DISPLAY=":99")
    env.pop("MPLBACKEND", None)
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                       timeout=120)
    check(p.returncode == 0 and p.stdout.strip() == "True",
          f"no backend chosen on import: {p.stdout} {p.stderr[-300:]}")


def main():
    cli, rcplot_py = sys.argv[1:3]
    spec = importlib.util.spec_from_file_location("rcplot", rcplot_py)
    rcplot = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(rcplot)
    import matplotlib.pyplot as plt

    test_crossing(rcplot)
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in (("timed.yaml", TIMED), ("zero.yaml", ZERO), ("zip.yaml", ZIP),
                           ("audience.yaml", AUDIENCE), ("zipscen.yaml", ZIP_SCENARIO)):
            with open(os.path.join(tmp, name), "w") as f:
                f.write(text)
        sweep = make(cli, os.path.join(HERE, "plot.yaml"), "sweep.h5", tmp)
        timed = make(cli, "timed.yaml", "timed.h5", tmp)
        zero = make(cli, "zero.yaml", "zero.h5", tmp)
        zipped = make(cli, "zip.yaml", "zip.h5", tmp)
        audience = make(cli, "audience.yaml", "audience.h5", tmp)
        sweep, timed, zero, zipped, audience = (os.path.join(tmp, p) for p in
                                                (sweep, timed, zero, zipped, audience))
        test_zip_scenario(rcplot, os.path.join(tmp, make(cli, "zipscen.yaml", "zipscen.h5",
                                                         tmp)))
        test_no_backend_forced(rcplot_py)

        # --- as a command: every figure of a two-key sweep, default OUTDIR ---
        p = run_cli(rcplot_py, [sweep, "--format", "png"])
        outdir = os.path.join(tmp, "sweep_figures")
        expect = ["ccdf_reach", "ccdf_retweets", "mean_reach_vs_model_p",
                  "mean_retweets_vs_model_p", "mean_reach_vs_seeds_count",
                  "mean_retweets_vs_seeds_count", "heatmap_reach_model_p_x_seeds_count",
                  "heatmap_retweets_model_p_x_seeds_count", "generations", "virality_vs_size"]
        check(p.returncode == 0, f"rcplot.py on the sweep: {p.returncode} {p.stderr}")
        printed = p.stdout.split()
        for stem in expect:
            png = os.path.join(outdir, f"{stem}.png")
            check(good_png(png), f"{stem}.png written, a PNG of > 5 kB")
            check(png in printed, f"{stem}.png path printed")
        check("no time figure" in p.stderr, "the untimed file says why there is no time figure")
        rc, out, _ = run_main(rcplot, [sweep, "-o", os.path.join(tmp, "pdf"), "--kind",
                                       "heatmap", "--metric", "reach"])
        pdf = os.path.join(tmp, "pdf", "heatmap_reach_model_p_x_seeds_count.pdf")
        check(rc == 0 and good_pdf(pdf) and pdf in out.split(), f"PNG and PDF by default: {out}")

        # --- a timed single point, no scenarios, no sweep; one format; -o ---
        out2 = os.path.join(tmp, "timed_out")
        rc, _, err = run_main(rcplot, [timed, "-o", out2, "--format", "png"])
        check(rc == 0, f"rcplot.py on the timed file: {err}")
        got = sorted(os.listdir(out2)) if os.path.isdir(out2) else []
        check(got == sorted(f"{s}.png" for s in ("ccdf_reach", "ccdf_retweets", "generations",
                                                 "time", "virality_vs_size")),
              f"timed single point: the figures that make sense ({got})")
        for f in got:
            check(good_png(os.path.join(out2, f)), f"timed {f} is a PNG")
        rc, _, err = run_main(rcplot, [timed, "-o", out2, "--kind", "heatmap"])
        check(rc == 1 and "needs two swept keys" in err,
              f"an impossible kind asked for says why: {rc} {err}")
        rc, _, err = run_main(rcplot, [os.path.join(tmp, "none.h5")])
        check(rc == 4 and "rcplot:" in err, "a missing file: exit 4")

        # --- as a module ---
        r = rcplot.load(sweep)
        ax = rcplot.ccdf(r, "reach", where={"model.p": 0.147, "seeds.count": 4})
        check(ax.get_xscale() == "log" and len(ax.get_lines()) == 2,
              "ccdf: log axes, one line per scenario")
        check("model.p = 0.147" in "".join(t.get_text() for t in ax.texts),
              "ccdf says which point it shows")
        plt.close("all")
        ax = rcplot.mean_vs(sweep, "model.p", "reach")  # a path works too
        check(ax.get_xscale() == "log", "mean_vs: log x on a log-spaced sweep")
        check(len(ax.collections) == 2, "mean_vs: a confidence band per scenario")
        check([t.get_text() for t in ax.get_legend().get_texts()] == ["sparse", "dense"],
              "legend names the scenarios in config order")
        colour = ax.get_lines()[0].get_color()
        plt.close("all")
        ax = rcplot.generations(r)
        check(ax.get_lines()[0].get_color() == colour, "a scenario keeps its colour")
        fig = rcplot.heatmap(r, "model.p", "seeds.count", "retweets")
        check(len(fig.axes) == 3, "heatmap: two panels and a colour bar")
        check("retweets (reshares)" in fig.axes[-1].get_ylabel(), "colour bar labelled")
        fig, axes = plt.subplots(1, 2)
        check(rcplot.virality_vs_size(r, ax=axes[0]) is axes[0], "drawn into a given Axes")
        plt.close("all")
        try:
            rcplot.ccdf(r, "reach", where={"model.p": 0.3})
            check(False, "a value that is not a point is refused")
        except ValueError as e:
            check("0.0543" in str(e), f"the refusal lists the values: {e}")
        ax = rcplot.ccdf(r, "retweets", by="model.p", where={"scenario": "dense"})
        check(len(ax.get_lines()) == 4, "ccdf by a swept key: a line per value")
        plt.close("all")
        # a zip sweep: its keys vary together, so none is held and there is no heat map
        ax = rcplot.mean_vs(zipped, "model.p", "reach")
        check(len(ax.get_lines()[0].get_xdata()) == 3, "zip sweep: every point on the curve")
        check("seeds.count paired with it" in "".join(t.get_text() for t in ax.texts),
              "zip sweep: the paired key is named")
        check(not any(k == "heatmap" for _, k, _, _ in rcplot.plan(zipped)[0]),
              "zip sweep: no heat map")
        plt.close("all")

        # --- all-zero metrics, an interrupted file, audience scenarios: plot_all copes ---
        for label, path, metrics, want in (
                ("zero", zero, None, {"ccdf_reach", "ccdf_retweets", "mean_reach_vs_seeds_count",
                                      "mean_retweets_vs_seeds_count", "generations",
                                      "virality_vs_size"}),
                ("partial", os.path.join(tmp, "partial.h5"), ["reach"],
                 {"ccdf_reach", "generations", "mean_reach_vs_model_p",
                  "heatmap_reach_model_p_x_seeds_count", "virality_vs_size"}),
                ("audience", audience, ["reach_per_member"],
                 {"ccdf_reach_per_member", "mean_reach_per_member_vs_audience_engagement"})):
            if label == "partial":
                truncate(sweep, path, keep=5)
            elif label == "audience":
                stems = {f[0] for f in rcplot.plan(path)[0]}
                check({"ccdf_reach_per_member", "mean_reach_per_member_vs_audience_engagement",
                       "mean_reach_vs_audience_engagement", "generations"} <= stems,
                      f"reach_per_member joins the default metrics when the file has it: {stems}")
                check(not any(s.startswith("ccdf_reach_per") for s in
                              (f[0] for f in rcplot.plan(sweep)[0])),
                      "and only then")
            errors = []
            paths = rcplot.plot_all(path, os.path.join(tmp, label), formats=("png",),
                                    metrics=metrics, errors=errors)
            stems = {os.path.splitext(os.path.basename(p))[0] for p in paths}
            check(not errors, f"{label}: no figure failed: {errors}")
            check(want <= stems, f"{label}: figures {sorted(want - stems)} missing")
            check(all(good_png(p, 3000) for p in paths), f"{label}: every file a PNG")
        ax = rcplot.generations(audience)
        check(ax.get_yscale() != "log" or
              all(min(line.get_xdata()) >= 1 for line in ax.get_lines()),
              "an author's empty generation 0 is left off a log axis")
        plt.close("all")
        part = rcplot.load(os.path.join(tmp, "partial.h5"))
        ax = rcplot.mean_vs(part, "model.p", "reach")
        check("incomplete file: 5 of 16 points done" in "".join(t.get_text() for t in ax.texts),
              "a partial file says so")
        plt.close("all")
    return finish("test_rcplot")


if __name__ == "__main__":
    sys.exit(main())
