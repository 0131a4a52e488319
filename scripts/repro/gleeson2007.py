"""Gleeson & Cahalane (2007), "Seed size strongly affects cascades on random networks", Phys.
Rev. E 75, 056103: the mean final fraction of active nodes in Watts' threshold model on Poisson
random graphs against the mean degree z, for several seed fractions rho0, next to their
tree-recursion (the analytic curves). rtcascade runs configs/papers/gleeson2007.yaml: seeds
{strategy: random, count: rho0 N}, swept with the mean degree and the graph's seed.
"""
import math

import numpy as np
from scipy.special import bdtrc

from . import common

KEY = "gleeson2007"
TITLE = ("Gleeson & Cahalane (2007): mean cascade size against mean degree z for several seed "
         "fractions rho0 (Watts model, phi = 0.18, Poisson graphs)")


def needed(phi, k):
    """Active neighbours a node of degree k >= 1 needs: the smallest c >= 1 with c / k >= phi,
    by the same floating-point division as models/watts_threshold.c (so k = 1/phi exactly
    counts as vulnerable, as there). Degree 0 gives 1 (such a node is never reached)."""
    k = np.atleast_1d(np.asarray(k, dtype=np.int64))
    kf = np.maximum(k, 1).astype(float)
    c = np.maximum(1, np.ceil(phi * kf)).astype(np.int64)
    for _ in range(3):  # ceil(phi k) is off by at most one from the division test
        down = (c > 1) & ((c - 1) / kf >= phi)
        c = np.where(down, c - 1, c)
        up = (c < kf) & ~(c / kf >= phi)
        c = np.where(up, c + 1, c)
    return c


def _sf(m, n, q):
    """P(Binomial(n, q) > m) for arrays m >= 0, n >= 0 (0 where m >= n)."""
    return np.where(m < n, bdtrc(np.minimum(m, np.maximum(n - 1, 0)), n, q), 0.0)


def fixed_point(pk, phi, rho0, tol=1e-11, max_iter=200000):
    """Gleeson & Cahalane's recursion for the Watts model on a configuration-model graph with
    degree distribution pk (index = degree), threshold phi and a random seed fraction rho0:

        q_{n+1} = rho0 + (1 - rho0) sum_k (k/z) p_k sum_m C(k-1, m) q_n^m (1-q_n)^(k-1-m) F(m/k)
        rho     = rho0 + (1 - rho0) sum_k p_k     sum_m C(k, m)   q^m (1-q)^(k-m)       F(m/k)

    with F(m/k) = 1 when m >= needed(phi, k), iterated from q_0 = rho0 to its (smallest)
    fixed point. Returns rho, the expected final fraction of active nodes, seeds included."""
    pk = np.asarray(pk, dtype=float)
    k = np.arange(len(pk))
    z = float((k * pk).sum())
    c = needed(phi, k)
    w = k * pk / z if z > 0 else np.zeros_like(pk)
    live = k >= 1
    q = rho0
    for _ in range(max_iter):
        # P(Bin(k-1, q) >= c_k) for the k-1 neighbours below a node reached along an edge
        s = np.where(live, _sf(c - 1, np.maximum(k - 1, 0), q), 0.0)
        qn = rho0 + (1 - rho0) * float((w * s).sum())
        # relative: from a tiny rho0, q grows slowly away from 0 and must not stop there
        if abs(qn - q) <= tol * max(qn, 1e-300):
            q = qn
            break
        q = qn
    s0 = np.where(live, _sf(c - 1, k, q), 0.0)
    return rho0 + (1 - rho0) * float((pk * s0).sum())


def upper_edge(phi, rho0, zmax=30.0, step=0.01):
    """The mean degree where the predicted cascade size falls through 1/2 for the last time
    (the upper, discontinuous edge of the window for seed fraction rho0), NaN if none."""
    zs = np.arange(1.0, zmax, 0.05)
    v = np.array([fixed_point(common.poisson_pk(z), phi, rho0) for z in zs])
    big = np.nonzero(v >= 0.5)[0]
    if not len(big) or big[-1] + 1 >= len(zs):
        return math.nan
    lo, hi = zs[big[-1]], zs[big[-1] + 1]
    while hi - lo > step / 2:
        mid = 0.5 * (lo + hi)
        if fixed_point(common.poisson_pk(mid), phi, rho0) >= 0.5:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


TABLE_Z = (1.0, 1.5, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0)


def analyse(results, ctx):
    rep = common.Report(KEY, TITLE)
    runs = common.runs_table(results)
    n = common.nodes_of(results)
    runs["frac"] = runs["size"] / n
    zkey, ckey = "network.mean_degree", "seeds.count"
    phi = float(common.spec_value(results, "model.phi", 0.18))
    zs = np.sort(runs[zkey].unique())
    counts = np.sort(runs[ckey].unique())
    graphs = runs.groupby(zkey)["network"].nunique().min()
    per_z = int(results.attrs.get("runs_per_point", 0)) * graphs
    rep.notes.append(f"N = {n:,} nodes, undirected G(N, m) graphs, Watts threshold φ = {phi:g}; "
                     f"seeds: ρ0·N distinct random nodes per run; {graphs} graphs per z x "
                     f"{results.attrs.get('runs_per_point')} runs = {per_z} runs per (z, ρ0). "
                     "rtcascade's number is the mean final fraction of adopters (seeds "
                     "included) over all runs; 95% CIs from the delete-one-graph jackknife.")
    est = {(z, c): common.mean_ci(g["frac"].to_numpy(), g["network"].to_numpy(), 0.0, 1.0)
           for (z, c), g in runs.groupby([zkey, ckey])}

    fig, ax = common.new_figure(size=(8.6, 4.6))
    zt = np.linspace(0.05, zs[-1] + 0.25, 300)
    edges = {}
    for i, c in enumerate(counts):
        rho0 = c / n
        colour = common.PAPER_COLOURS[i % len(common.PAPER_COLOURS)]
        th = np.array([fixed_point(common.poisson_pk(z), phi, rho0) for z in zt])
        ax.plot(zt, th, color=colour, lw=1.5)
        common.errorbars(ax, zs, [est[(z, c)] for z in zs], color=colour, ms=4,
                         label=f"ρ0 = {rho0:g} ({int(c)} seeds)")
        edges[c] = upper_edge(phi, rho0, zmax=zs[-1] + 5)
        ax.axvline(edges[c], color=colour, lw=0.6, ls=":")
    ax.plot([], [], color="0.3", lw=1.5, label="theory (Gleeson &\nCahalane recursion)")
    ax.set_xlabel("mean degree z")
    ax.set_ylabel("mean cascade size ρ (fraction of N)")
    ax.set_ylim(-0.02, 1.04)
    ax.set_xlim(0, zs[-1] + 0.25)
    ax.legend(fontsize=8.5, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    common.grid(ax)
    common.title(ax, "Gleeson & Cahalane (2007): seed size and the cascade window",
                 common.size_note(results, f"φ = {phi:g}; {per_z} runs per point ({graphs} "
                                  "graphs), 95% CIs; dotted: predicted upper edge"))
    rep.figures += common.save(fig, ctx, f"{KEY}_fig1")

    dz = np.diff(zs).min() if len(zs) > 1 else 1.0
    for c in counts:
        rho0 = c / n
        for zt_ in TABLE_Z:
            i = int(np.argmin(np.abs(zs - zt_)))
            if abs(zs[i] - zt_) > 0.26 * max(dz, 0.25):
                continue
            z = float(zs[i])
            th = fixed_point(common.poisson_pk(z), phi, rho0)
            # Checked away from the two transitions, where the recursion is sharp: the lower
            # one (a percolation point near z = 1) and the jump at the upper edge, around
            # which a finite graph tips either way.
            far = z >= 2.0 and abs(z - edges[c]) >= 1.0
            rep.rows.append(common.Row("Fig. 1", "mean cascade size ρ",
                                       f"ρ0 = {rho0:g}, z = {z:g}", th, est[(z, c)],
                                       check=far, allow=0.01 if far else 0.0))
        # measured upper edge: the last z whose mean size is at least 1/2
        big = [z for z in zs if est[(z, c)].value >= 0.5]
        if big:
            top = max(big)
            nxt = zs[zs > top]
            e = common.Estimate(float(top), math.nan, float(top),
                                float(nxt[0]) if len(nxt) else math.inf, per_z, graphs)
            rep.rows.append(common.Row("Fig. 1", "upper edge (z, size ≥ 1/2)",
                                       f"ρ0 = {rho0:g}", edges[c], e, check=False,
                                       note="last z with mean size ≥ 1/2; CI = grid cell"))
    rep.notes.append("Rows are checked (|rtcascade − theory| ≤ 5 se + 0.01) for z ≥ 2 and at "
                     "least 1 from the predicted upper edge.")
    return rep
