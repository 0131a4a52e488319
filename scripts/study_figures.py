#!/usr/bin/env python3
"""Figures of the default study (configs/handpicked_vs_broadcast.yaml): who spreads a post
further -- 250 hand-picked influencers, 2,000 random followers, or a celebrity's million?

    scripts/study_figures.py [RESULTS.h5] [-o OUTDIR] [--format png,pdf]

Writes into OUTDIR (default: results/handpicked_vs_broadcast_figures/):
  study_overview     mean retweets and mean reach of the three authors at their typical
                     engagement, for each network regime (model.p), with 95% intervals;
  study_audience_size  how many random followers it takes to match 250 hand-picked ones;
  study_engagement   how engaged the hand-picked must be to match the celebrity;
  study_ccdf         the distribution of retweets per post (lively network);
and prints the numbers behind them (the crossings) as a small table. Also usable as a module:
overview(r), audience_size(r), engagement(r), crossings(r) take an rtcascade.Results.
"""
import argparse
import math
import os
import sys

# The package beside this script in a source tree, else the one on the path (an install, or
# PYTHONPATH as `rtcascade run` sets it). Importing it chooses no matplotlib backend: a
# notebook or a desktop keeps its own; the command below draws into files with Agg.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _rcenv  # noqa: E402

_rcenv.setup("study_figures", "matplotlib")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
import numpy as np  # noqa: E402
import rtcascade  # noqa: E402
from rtcascade import plot as rcplot  # noqa: E402

# The operating point of each author: its typical engagement (and size), as in the config.
TYPICAL = {"handpicked": ("audience.engagement", 0.15),
           "broadcast": ("audience.size", 2000),
           "celebrity": ("audience.engagement", 0.0005)}
LABELS = {"handpicked": "250 hand-picked influencers, 15% reshare",
          "broadcast": "2,000 random followers, 1% reshare",
          "celebrity": "celebrity: 10$^6$ random followers, 0.05% reshare"}
REGIME = {0.02: "quiet network (p = 0.02)", 0.035: "lively network (p = 0.035)",
          0.05: "near-critical network (p = 0.05)"}
METRIC_WORDS = {"retweets": "mean retweets per post", "reach": "mean reach (accounts shown the post)"}


def _regime(p):
    return REGIME.get(round(float(p), 6), f"p = {p:g}")


def _typical_rows(pts):
    """One row per (scenario, model.p) at the scenario's typical operating point (the swept
    value nearest to it in log scale, should a changed sweep have left it out)."""
    import pandas as pd
    rows = []
    for s, (key, value) in TYPICAL.items():
        sel = pts[pts["scenario"] == s]
        for _, g in sel.groupby("model.p"):
            dist = np.abs(np.log(g[key].astype(float).clip(lower=1e-300)) - math.log(value))
            rows.append(g.loc[[dist.idxmin()]])
    return pd.concat(rows)


def _ci(row, metric):
    return 1.96 * float(row[f"{metric}_se"])


def overview(r, fig=None):
    """Grouped bars: mean retweets (left) and mean reach (right) per author and regime."""
    pts = r.points
    typ = _typical_rows(pts)
    ps = sorted(typ["model.p"].astype(float).unique())
    colours = rcplot.scenario_colours(r)
    fig = fig or plt.figure(figsize=(11, 4.6))
    axes = fig.subplots(1, 2)
    width = 0.8 / len(TYPICAL)
    for ax, metric in zip(axes, ("retweets", "reach")):
        for i, s in enumerate(TYPICAL):
            sub = typ[typ["scenario"] == s].set_index("model.p")
            ys = [float(sub.loc[p, f"{metric}_mean"]) for p in ps]
            err = [_ci(sub.loc[p], metric) for p in ps]
            xs = np.arange(len(ps)) + (i - 1) * width
            ax.bar(xs, ys, width, yerr=err, capsize=3, color=colours.get(s), label=LABELS[s])
            for x, y in zip(xs, ys):
                ax.text(x, y * 1.08, f"{y:,.0f}", ha="center", va="bottom", fontsize=7)
        ax.set_yscale("log")
        ax.set_xticks(np.arange(len(ps)))
        ax.set_xticklabels([_regime(p).replace(" (", "\n(") for p in ps], fontsize=8)
        ax.set_ylabel(METRIC_WORDS[metric])
        ax.grid(axis="y", which="both", alpha=0.25)
        ax.set_ylim(top=ax.get_ylim()[1] * 3)
    axes[0].set_title("Retweets: the hand-picked 250 rival a million followers", fontsize=10)
    axes[1].set_title("Reach: the celebrity's million always see it", fontsize=10)
    axes[0].legend(fontsize=7.5, loc="upper left")
    fig.suptitle("Who spreads a post further? (means over runs, bars: 95% intervals)",
                 fontsize=11)
    fig.tight_layout()
    return fig


def _cross(xs, ys, level):
    """x where the increasing curve (xs, ys) first reaches level, interpolated in log-log;
    None when it does not within the sweep."""
    for (x0, y0), (x1, y1) in zip(zip(xs, ys), zip(xs[1:], ys[1:])):
        if y0 <= level <= y1 and y0 > 0 and y1 > 0 and y1 > y0:
            t = (math.log(level) - math.log(y0)) / (math.log(y1) - math.log(y0))
            return math.exp(math.log(x0) + t * (math.log(x1) - math.log(x0)))
    return None


def crossings(r):
    """Per regime: random followers needed to match the hand-picked 250 (retweets and reach),
    and hand-picked engagement needed to match the celebrity's retweets."""
    pts = r.points
    typ = _typical_rows(pts)
    out = []
    for p in sorted(pts["model.p"].astype(float).unique()):
        hp = typ[(typ["scenario"] == "handpicked") & np.isclose(typ["model.p"], p)].iloc[0]
        cel = typ[(typ["scenario"] == "celebrity") & np.isclose(typ["model.p"], p)].iloc[0]
        bc = pts[(pts["scenario"] == "broadcast") & np.isclose(pts["model.p"], p)]
        bc = bc.sort_values("audience.size")
        hpe = pts[(pts["scenario"] == "handpicked") & np.isclose(pts["model.p"], p)]
        hpe = hpe.sort_values("audience.engagement")
        row = {"model.p": p}
        for metric in ("retweets", "reach"):
            row[f"random_followers_to_match_{metric}"] = _cross(
                list(bc["audience.size"].astype(float)), list(bc[f"{metric}_mean"]),
                float(hp[f"{metric}_mean"]))
        row["handpicked_engagement_to_match_celebrity_retweets"] = _cross(
            list(hpe["audience.engagement"].astype(float)), list(hpe["retweets_mean"]),
            float(cel["retweets_mean"]))
        row["handpicked_retweets"] = float(hp["retweets_mean"])
        row["celebrity_retweets"] = float(cel["retweets_mean"])
        row["handpicked_reach"] = float(hp["reach_mean"])
        row["celebrity_reach"] = float(cel["reach_mean"])
        out.append(row)
    return out


def _curve_panel(ax, r, scenario, key, metric, ref, ref_label, colour_of, fmt="{:,.0f}"):
    pts = r.points
    lowest = math.inf
    for p in sorted(pts["model.p"].astype(float).unique()):
        sub = pts[(pts["scenario"] == scenario) & np.isclose(pts["model.p"], p)]
        sub = sub.sort_values(key)
        x = sub[key].astype(float).to_numpy()
        y = sub[f"{metric}_mean"].to_numpy(dtype=float)
        e = 1.96 * sub[f"{metric}_se"].to_numpy(dtype=float)
        c = colour_of[p]
        ax.plot(x, y, "o-", color=c, label=f"{_regime(p)}")
        # A log axis cannot show a band reaching 0: the lower edge stops at a third of the mean.
        ax.fill_between(x, np.maximum(y - e, y / 3), y + e, color=c, alpha=0.2, lw=0)
        lowest = min(lowest, float(np.min(y[y > 0])) if np.any(y > 0) else lowest)
        refrow = ref(p)
        ax.axhline(float(refrow[f"{metric}_mean"]), color=c, ls="--", lw=1)
        xc = _cross(list(x), list(y), float(refrow[f"{metric}_mean"]))
        if xc is not None:
            ax.plot([xc], [float(refrow[f"{metric}_mean"])], "X", color="k", ms=8, zorder=5)
            ax.annotate(fmt.format(xc), (xc, float(refrow[f"{metric}_mean"])),
                        textcoords="offset points", xytext=(6, -12), fontsize=8)
    ax.set_xscale("log")
    ax.set_yscale("log")
    if math.isfinite(lowest):
        ax.set_ylim(bottom=lowest / 3)
    ax.set_ylabel(METRIC_WORDS[metric])
    ax.grid(which="both", alpha=0.25)
    ax.text(0.02, 0.98, f"dashed: {ref_label}", transform=ax.transAxes, fontsize=7.5, va="top")


def _p_colours(r):
    ps = sorted(r.points["model.p"].astype(float).unique())
    cmap = plt.get_cmap("viridis")
    return {p: cmap(0.15 + 0.7 * i / max(1, len(ps) - 1)) for i, p in enumerate(ps)}


def audience_size(r, fig=None):
    """Random audiences of growing size (1% reshare) against the hand-picked 250 (15%)."""
    pts = r.points
    typ = _typical_rows(pts)
    colour_of = _p_colours(r)

    def ref(p):
        return typ[(typ["scenario"] == "handpicked") & np.isclose(typ["model.p"], p)].iloc[0]

    fig = fig or plt.figure(figsize=(11, 4.6))
    axes = fig.subplots(1, 2)
    for ax, metric in zip(axes, ("retweets", "reach")):
        _curve_panel(ax, r, "broadcast", "audience.size", metric, ref,
                     "250 hand-picked at 15%, same network", colour_of)
        ax.set_xlabel("random followers in the audience (1% reshare)")
    axes[0].legend(fontsize=8, loc="lower right")
    fig.suptitle("How many random followers equal 250 hand-picked influencers? "
                 "(X: where the curves cross)", fontsize=11)
    fig.tight_layout()
    return fig


def engagement(r, fig=None):
    """Hand-picked engagement against the celebrity's retweets at 0.05%."""
    pts = r.points
    typ = _typical_rows(pts)
    colour_of = _p_colours(r)

    def ref(p):
        return typ[(typ["scenario"] == "celebrity") & np.isclose(typ["model.p"], p)].iloc[0]

    fig = fig or plt.figure(figsize=(6.4, 4.6))
    ax = fig.subplots(1, 1)
    _curve_panel(ax, r, "handpicked", "audience.engagement", "retweets", ref,
                 "celebrity, 10$^6$ followers at 0.05%", colour_of, fmt="{:.1%}")
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.set_xticks([0.02, 0.05, 0.1, 0.15, 0.3])
    ax.set_xlabel("share of the 250 hand-picked who reshare (engagement)")
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title("How engaged must 250 hand-picked influencers be\nto match a celebrity's retweets?",
                 fontsize=10)
    fig.tight_layout()
    return fig


def ccdf_figure(r, p=0.035):
    fig, ax = plt.subplots(figsize=(6.4, 4.6))
    # One point per scenario at its typical operating point.
    typ = _typical_rows(r.points)
    typ = typ[np.isclose(typ["model.p"], p)]
    runs = r.runs
    colours = rcplot.scenario_colours(r)
    for _, row in typ.iterrows():
        v = runs[runs["point"] == row["point"]]["retweets"].to_numpy(dtype=float)
        v = np.sort(v[v > 0])
        if len(v) == 0:
            continue
        frac = 1.0 - np.arange(len(v)) / len(v)
        ax.step(v, frac, where="post", color=colours.get(row["scenario"]),
                label=LABELS[row["scenario"]])
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("retweets of one post (reshares)")
    ax.set_ylabel("P(retweets ≥ x)")
    ax.set_title(f"How variable is one post? Retweets per post, {_regime(p)}", fontsize=10)
    ax.grid(which="both", alpha=0.25)
    ax.legend(fontsize=7.5)
    fig.tight_layout()
    return fig


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results", nargs="?", default="results/handpicked_vs_broadcast.h5")
    ap.add_argument("-o", "--out", default=None)
    ap.add_argument("--format", default="png,pdf")
    a = ap.parse_args(argv)
    if not os.path.exists(a.results):
        print(f"study_figures: {a.results}: no such results file (run `rtcascade run` first)",
              file=sys.stderr)
        return 4
    plt.switch_backend("Agg")  # files only: no window, whatever the display
    r = rtcascade.load(a.results)
    missing = [s for s in TYPICAL if s not in set(r.points["scenario"])]
    if missing:
        print(f"study_figures: {a.results}: not the default study (no scenario {missing[0]})",
              file=sys.stderr)
        return 4
    out = a.out or os.path.splitext(a.results)[0] + "_figures"
    os.makedirs(out, exist_ok=True)
    figs = {"study_overview": overview(r), "study_audience_size": audience_size(r),
            "study_engagement": engagement(r), "study_ccdf": ccdf_figure(r)}
    for name, fig in figs.items():
        for fmt in a.format.split(","):
            path = os.path.join(out, f"{name}.{fmt.strip()}")
            fig.savefig(path, dpi=150)
            print(path)
        plt.close(fig)
    print()
    print("| model.p | hand-picked retweets | celebrity retweets | hand-picked reach | "
          "celebrity reach | random followers to match hand-picked retweets | ... reach | "
          "hand-picked engagement to match celebrity retweets |")
    print("|---|---|---|---|---|---|---|---|")

    def f(v, fmt="{:,.0f}"):
        return "beyond the sweep" if v is None else fmt.format(v)
    for c in crossings(r):
        print(f"| {c['model.p']:g} | {f(c['handpicked_retweets'])} | {f(c['celebrity_retweets'])} "
              f"| {f(c['handpicked_reach'])} | {f(c['celebrity_reach'])} "
              f"| {f(c['random_followers_to_match_retweets'])} "
              f"| {f(c['random_followers_to_match_reach'])} "
              f"| {f(c['handpicked_engagement_to_match_celebrity_retweets'], '{:.1%}')} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
