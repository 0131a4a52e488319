#!/usr/bin/python3
"""Tables and figures of the grounded study: the default study's question (250 hand-picked,
engaged influencers, 2,000 random followers, or a celebrity's million?) answered under the
assumed rates and under the rates fitted to real cascades, on three networks.

    scripts/grounded_figures.py [--dir results/grounded] [-o OUTDIR] [--format png,pdf]

Reads from --dir the results of scripts/grounded_study.sh:
  assumed_default.h5      configs/handpicked_vs_broadcast.yaml (the default study)
  assumed_twitterlike.h5  the same on the DC-SBM with reciprocity 0.22 and closure 0.3
  handpicked_vs_broadcast_fitted.h5  configs/handpicked_vs_broadcast_fitted.yaml (both DC-SBMs)
  careers_assumed.h5, careers_fitted.h5  configs/grounded/careers_*.yaml (@bofa_careers)
  fitted_mexp.h5          configs/grounded/fitted_mexp.yaml (mEXP instead of mPL)
and writes into OUTDIR (default: DIR/figures):
  grounded_overview      mean retweets and reach of the three authors in each cell;
  grounded_engagement    how engaged the hand-picked must be to match the others (fitted rates);
  grounded_audience_size random audiences of growing size at the fitted engagement;
then prints the tables (markdown) behind them. A file that is missing is left out.
"""
import argparse
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _rcenv  # noqa: E402

_rcenv.need("grounded_figures", "matplotlib", "numpy", "pandas", "h5py")

import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np
import pandas as pd

_HERE = os.path.dirname(os.path.abspath(__file__))
_TREE = os.path.join(_HERE, "..", "python")
if os.path.isdir(os.path.join(_TREE, "rtcascade")):
    sys.path.insert(0, os.path.abspath(_TREE))
sys.path.insert(0, _HERE)
import rtcascade  # noqa: E402
from study_figures import _cross  # noqa: E402

CLAIM = 0.15  # the hand-picked engagement the claim assumes
NETWORKS = {"default": "default DC-SBM", "twitterlike": "Twitter-like DC-SBM",
            "careers": "@bofa_careers (real)"}
COLOURS = {"handpicked": "#d95f02", "broadcast": "#1b9e77", "celebrity": "#7570b3"}


def _cells(d):
    """(model, network, regime, points DataFrame, Results) for every cell found in d."""
    cells = []

    def load(name):
        path = os.path.join(d, name)
        return rtcascade.load(path) if os.path.exists(path) else None

    for net, name in (("default", "assumed_default.h5"), ("twitterlike", "assumed_twitterlike.h5"),
                      ("careers", "careers_assumed.h5")):
        r = load(name)
        if r is None:
            continue
        for p in sorted(r.points["model.p"].astype(float).unique()):
            pts = r.points[np.isclose(r.points["model.p"].astype(float), p)]
            cells.append(("assumed", net, f"IC p = {p:g}", pts, r))
    r = load("handpicked_vs_broadcast_fitted.h5")
    if r is not None:
        for closure, net in ((0.0, "default"), (0.3, "twitterlike")):
            pts = r.points[np.isclose(r.points["network.closure"].astype(float), closure)]
            cells.append(("fitted", net, "auspol mPL", pts, r))
    r = load("careers_fitted.h5")
    if r is not None:
        cells.append(("fitted", "careers", "auspol mPL", r.points, r))
    r = load("fitted_mexp.h5")
    if r is not None:
        cells.append(("fitted", "default", "auspol mEXP", r.points, r))
    return cells


def _row(pts, scenario, key=None, value=None):
    sel = pts[pts["scenario"] == scenario]
    if key is not None:
        v = sel[key].astype(float)
        sel = sel.loc[[(np.abs(np.log(v) - math.log(value))).idxmin()]]
    return sel.iloc[0]


def _operating(model, pts):
    """The three authors' operating points: claimed hand-picked engagement, 2,000 random
    followers at their (assumed or fitted) engagement, the celebrity at its (assumed or fitted)
    engagement -- the lowest swept one under the fit, the config's 0.05% under the assumption."""
    hp = _row(pts, "handpicked", "audience.engagement", CLAIM)
    bc = _row(pts, "broadcast", "audience.size", 2000)
    cel_sel = pts[pts["scenario"] == "celebrity"]
    if model == "fitted":
        cel = cel_sel.loc[[cel_sel["audience.engagement"].astype(float).idxmin()]].iloc[0]
    else:
        cel = _row(pts, "celebrity", "audience.engagement", 0.0005)
    return hp, bc, cel


def table(cells):
    rows = []
    for model, net, regime, pts, _ in cells:
        hp, bc, cel = _operating(model, pts)
        hpe = pts[pts["scenario"] == "handpicked"].sort_values("audience.engagement")
        bcs = pts[pts["scenario"] == "broadcast"].sort_values("audience.size")
        e = list(hpe["audience.engagement"].astype(float))
        y = list(hpe["retweets_mean"].astype(float))
        base = hpe.iloc[0]
        rows.append({
            "rates": model, "network": NETWORKS[net], "regime": regime,
            "hp_claim": float(hp["retweets_mean"]), "hp_claim_se": float(hp["retweets_se"]),
            "hp_base_e": float(base["audience.engagement"]),
            "hp_base": float(base["retweets_mean"]),
            "bc": float(bc["retweets_mean"]), "bc_e": float(bc["audience.engagement"]),
            "cel": float(cel["retweets_mean"]), "cel_e": float(cel["audience.engagement"]),
            "cel_size": float(cel["audience.size"]),
            "hp_reach": float(hp["reach_mean"]), "bc_reach": float(bc["reach_mean"]),
            "cel_reach": float(cel["reach_mean"]),
            "e_match_bc": _cross(e, y, float(bc["retweets_mean"])) if y[0] < bc["retweets_mean"]
            else -e[0],
            "e_match_cel": _cross(e, y, float(cel["retweets_mean"]))
            if y[0] < cel["retweets_mean"] else -e[0],
            "size_match_hp": _cross(list(bcs["audience.size"].astype(float)),
                                    list(bcs["retweets_mean"].astype(float)),
                                    float(hp["retweets_mean"])),
            "size_max": float(bcs["audience.size"].astype(float).max()),
        })
    return pd.DataFrame(rows)


def _fmt_e(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "beyond the sweep"
    if v < 0:
        return f"≤ {-v:.2%} (already at the lowest swept)"
    return f"{v:.2%}"


def print_tables(t):
    print("| rates | network | regime | hand-picked 250 at 15% | 2,000 random | celebrity | "
          "hand-picked engagement to match 2,000 random | ... to match the celebrity | "
          "random followers to match the hand-picked at 15% |")
    print("|---|---|---|---|---|---|---|---|---|")
    for _, r in t.iterrows():
        size = ("beyond the sweep (> {:,.0f})".format(r["size_max"])
                if r["size_match_hp"] is None or np.isnan(r["size_match_hp"])
                else "≈ {:,.0f}".format(r["size_match_hp"]))
        print(f"| {r['rates']} | {r['network']} | {r['regime']} | {r['hp_claim']:,.1f} | "
              f"{r['bc']:,.1f} (at {r['bc_e']:.3%}) | {r['cel']:,.1f} ({r['cel_size']:,.0f} at "
              f"{r['cel_e']:.5%}) | {_fmt_e(r['e_match_bc'])} | {_fmt_e(r['e_match_cel'])} | "
              f"{size} |")
    print()
    print("| rates | network | regime | hand-picked reach | 2,000 random reach | celebrity reach | "
          "hand-picked at the fitted baseline: engagement, retweets |")
    print("|---|---|---|---|---|---|---|")
    for _, r in t.iterrows():
        base = (f"{r['hp_base_e']:.3%}: {r['hp_base']:.2f}" if r["rates"] == "fitted" else "—")
        print(f"| {r['rates']} | {r['network']} | {r['regime']} | {r['hp_reach']:,.0f} | "
              f"{r['bc_reach']:,.0f} | {r['cel_reach']:,.0f} | {base} |")


SHORT = {"default": "default\nDC-SBM", "twitterlike": "Twitter-like\nDC-SBM",
         "careers": "@bofa_\ncareers"}


def _cell_label(model, net, regime):
    if model == "fitted":
        return f"fitted {regime.split()[-1]}\n{SHORT[net]}"
    return f"assumed\n{SHORT[net]}"


def _short(y):
    """A bar's value in a few characters: 1.1, 68, 1,690, 379k, 1.96M."""
    if y >= 1e6:
        return f"{y / 1e6:.2g}M"
    if y >= 1e5:
        return f"{y / 1e3:.0f}k"
    return f"{y:,.0f}" if y >= 10 else f"{y:.1f}"


def overview(cells, fig=None):
    """Grouped bars: retweets and reach of the three authors per cell (assumed cells at the
    lively p = 0.035 only)."""
    shown = [c for c in cells if c[0] == "fitted" or c[2] == "IC p = 0.035"]
    fig = fig or plt.figure(figsize=(12, 5.2))
    axes = fig.subplots(1, 2)
    width = 0.26
    for ax, metric in zip(axes, ("retweets", "reach")):
        for i, (model, net, regime, pts, _) in enumerate(shown):
            for j, (s, row) in enumerate(zip(("handpicked", "broadcast", "celebrity"),
                                             _operating(model, pts))):
                y = float(row[f"{metric}_mean"])
                ax.bar(i + (j - 1) * width, y, width, yerr=1.96 * float(row[f"{metric}_se"]),
                       color=COLOURS[s], capsize=2,
                       label={"handpicked": "250 hand-picked at 15%",
                              "broadcast": "2,000 random followers",
                              "celebrity": "celebrity"}[s] if i == 0 else None)
                ax.text(i + (j - 1) * width, y * 1.1, _short(y), ha="center", va="bottom",
                        fontsize=6, rotation=90 if y >= 1e4 else 0)
        ax.set_yscale("log")
        ax.set_ylim(top=ax.get_ylim()[1] * 5)  # room for the rotated labels
        ax.set_xticks(range(len(shown)))
        ax.set_xticklabels([_cell_label(m, n, g) for m, n, g, _, _ in shown], fontsize=7)
        ax.grid(axis="y", which="both", alpha=0.25)
        ax.set_ylabel({"retweets": "mean retweets per post",
                       "reach": "mean reach (accounts shown the post)"}[metric])
    axes[0].legend(fontsize=7.5, loc="upper right")
    axes[0].set_title("Retweets: assumed rates (IC, p = 0.035) vs fitted (auspol)", fontsize=10)
    axes[1].set_title("Reach", fontsize=10)
    fig.suptitle("The study under assumed and fitted reshare rates, on three networks "
                 "(bars: 95% intervals)", fontsize=11)
    fig.tight_layout()
    return fig


def engagement(cells, fig=None):
    """Fitted cells: hand-picked retweets against engagement, with the 2,000 random followers
    and the celebrity at their fitted engagement as dashed and dotted lines."""
    fitted = [c for c in cells if c[0] == "fitted"]
    fig = fig or plt.figure(figsize=(6.8 * max(1, len(fitted)) / 2, 4.6))
    axes = np.atleast_1d(fig.subplots(1, max(1, len(fitted))))
    for ax, (model, net, regime, pts, _) in zip(axes, fitted):
        hp, bc, cel = _operating(model, pts)
        sel = pts[pts["scenario"] == "handpicked"].sort_values("audience.engagement")
        x = sel["audience.engagement"].astype(float).to_numpy()
        y = sel["retweets_mean"].astype(float).to_numpy()
        ax.plot(x, y, "o-", color=COLOURS["handpicked"], label="250 hand-picked")
        for row, s, ls in ((bc, "broadcast", "--"), (cel, "celebrity", ":")):
            ax.axhline(float(row["retweets_mean"]), color=COLOURS[s], ls=ls,
                       label={"broadcast": "2,000 random (fitted)",
                              "celebrity": f"celebrity, {float(row['audience.size']):,.0f} "
                                           "followers (fitted)"}[s])
        ax.axvline(x[0], color="grey", lw=0.8)
        ax.axvline(CLAIM, color="grey", lw=0.8, ls="--")
        ax.text(x[0], ax.get_ylim()[1], " fitted\n baseline", fontsize=7, va="top")
        ax.text(CLAIM, ax.get_ylim()[1], "the claim ", fontsize=7, va="top", ha="right")
        ax.legend(fontsize=6.5, loc="lower right")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:.1%}"))
        ax.set_xlabel("engagement of the 250 hand-picked")
        ax.set_title(f"{NETWORKS[net]}, {regime.split()[-1]}", fontsize=10)
        ax.grid(which="both", alpha=0.25)
    axes[0].set_ylabel("mean retweets per post")
    fig.suptitle("Under the fitted rates: how engaged must 250 hand-picked influencers be?",
                 fontsize=11)
    fig.tight_layout()
    return fig


def audience_size(cells, fig=None):
    """Random audiences of growing size: fitted engagement e(S) (solid) against the assumed 1%
    (dashed, p = 0.035)."""
    fig = fig or plt.figure(figsize=(6.8, 4.6))
    ax = fig.subplots(1, 1)
    styles = {"default": "o", "twitterlike": "s", "careers": "^"}
    for model, net, regime, pts, _ in cells:
        if model == "assumed" and regime != "IC p = 0.035":
            continue
        sel = pts[pts["scenario"] == "broadcast"].sort_values("audience.size")
        ax.plot(sel["audience.size"].astype(float), sel["retweets_mean"].astype(float),
                styles[net] + ("--" if model == "assumed" else
                               ":" if "mEXP" in regime else "-"),
                color="k" if model == "fitted" else "grey",
                label=f"{model}: {NETWORKS[net]}" + (f" ({regime.split()[-1]})"
                                                      if model == "fitted" else ""), ms=5)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("random followers in the audience")
    ax.set_ylabel("mean retweets per post")
    ax.grid(which="both", alpha=0.25)
    ax.legend(fontsize=7)
    ax.set_title(r"Random audiences: fitted engagement $\kappa S^{\beta-1}$ vs assumed 1%",
                 fontsize=10)
    fig.tight_layout()
    return fig


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", default="results/grounded")
    ap.add_argument("-o", "--out", default=None)
    ap.add_argument("--format", default="png,pdf")
    a = ap.parse_args(argv)
    plt.switch_backend("Agg")
    cells = _cells(a.dir)
    if not cells:
        print(f"grounded_figures: no results in {a.dir} (run scripts/grounded_study.sh)",
              file=sys.stderr)
        return 4
    out = a.out or os.path.join(a.dir, "figures")
    os.makedirs(out, exist_ok=True)
    figs = {"grounded_overview": overview(cells), "grounded_engagement": engagement(cells),
            "grounded_audience_size": audience_size(cells)}
    for name, fig in figs.items():
        for fmt in a.format.split(","):
            path = os.path.join(out, f"{name}.{fmt.strip()}")
            fig.savefig(path, dpi=150)
            print(path)
        plt.close(fig)
    print()
    print_tables(table(cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
