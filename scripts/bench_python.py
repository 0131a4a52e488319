#!/usr/bin/env python3
"""Independent cascades from Python, on one core: rtcascade.simulate against graph-tool's
SIRState(gamma = 1) and EoN's basic_discrete_SIR, on the same graph from the same seed nodes.

The graph is a directed G(n, m) made by rtcascade (default n = 10^5, m = 10^6: mean degree 10),
handed to networkx (for EoN) and graph-tool as the same edge list. Every tool runs single-seed
cascades with reshare (transmission) probability p = 0.12: each new adopter gets one chance per
follower (out-edge), then stops -- the independent cascade, which is SIR with recovery after one
step. Activations are the adopters, seeds included. The process is pinned to one CPU and every
tool runs on one thread. With --repeat N the three are measured N times in turn (rtcascade,
graph-tool, EoN, rtcascade, ...), so that load from other work on the machine falls on all of
them alike, and the median of each is reported with the range.

- rtcascade: simulate(graph, independent_cascade, runs=R, threads=1), timed as a user calls it
  (the DataFrame included); the seed nodes of its first runs (from events=True, the same runs)
  are the seeds of the others.
- graph-tool (Debian's python3-graph-tool): SIRState(beta=p, gamma=1, constant_beta=True) from
  each seed, iterate_sync until nobody is infected; timed for the dynamics alone (the ratio
  quoted) and with building each run's state.
- EoN (Miller's Mathematics-of-Epidemics-on-Networks; not a Debian package): import it from the
  folder named by RC_EON_PATH (the one holding EoN/); skipped with a message when it is not set.
  basic_discrete_SIR(G, p, initial_infecteds=seed) on a networkx DiGraph (a node's neighbours
  are its followers); activations = its final recovered count.

Usage: PYTHONPATH=build/python RC_EON_PATH=/path/to/eon /usr/bin/python3 scripts/bench_python.py
         [--nodes 100000] [--edges 1000000] [--p 0.12] [--runs 2000] [--other-runs 20]
         [--seed 1] [--repeat 3] [--cpu N] [--json FILE]
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _rcenv  # noqa: E402

_rcenv.need("bench_python", "numpy", "h5py", "pandas")

import numpy as np

_TREE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "build", "python")
if os.path.isdir(os.path.join(_TREE, "rtcascade")):
    sys.path.append(os.path.abspath(_TREE))  # after PYTHONPATH: a build's package, if none given
import rtcascade  # noqa: E402


def pin(cpu):
    """Runs this process (and every thread it starts) on one CPU."""
    allowed = sorted(os.sched_getaffinity(0))
    cpu = allowed[0] if cpu is None else cpu
    os.sched_setaffinity(0, {cpu})
    return cpu


def seeds_of(g, p, seed, k):
    """The seed nodes of rtcascade's first k runs (its events), for the other tools."""
    model = {"name": "independent_cascade", "p": p}
    first, events = rtcascade.simulate(g, model, runs=k, seed=seed, threads=1, events=True)
    seeds = events[events["parent"].isna()].groupby("run")["node"].first()
    return [int(s) for s in seeds.reindex(range(k)).tolist()], int(first["size"].sum())


def bench_rtcascade(g, p, runs, seed):
    model = {"name": "independent_cascade", "p": p}
    rtcascade.simulate(g, model, runs=min(runs, 50), seed=seed + 1, threads=1)  # warm up
    t0 = time.perf_counter()
    df = rtcascade.simulate(g, model, runs=runs, seed=seed, threads=1)
    dt = time.perf_counter() - t0
    return {"runs": runs, "seconds": dt, "activations": int(df["size"].sum()),
            "activations_per_s": float(df["size"].sum() / dt),
            "p_global": float(df["global"].mean()), "mean_size": float(df["size"].mean())}


def graph_tool_graph(n, src, dst):
    try:
        import graph_tool as gt
    except ImportError:
        return None
    gt.openmp_set_num_threads(1)
    g = gt.Graph(directed=True)
    g.add_vertex(n)
    g.add_edge_list(np.column_stack([src, dst]))
    return g


def bench_graph_tool(g, p, seeds):
    if g is None:
        return {"skipped": "graph-tool not installed (apt install python3-graph-tool)"}
    import graph_tool as gt
    import graph_tool.dynamics as gd
    t_dyn = t_all = 0.0
    acts = 0
    for s in seeds:
        t0 = time.perf_counter()
        st = gd.SIRState(g, beta=p, gamma=1.0, r=0, v0=int(s), constant_beta=True)
        t1 = time.perf_counter()
        while st.iterate_sync(niter=1) > 0:
            pass
        t2 = time.perf_counter()
        acts += int((st.get_state().a == 2).sum())
        t_dyn += t2 - t1
        t_all += t2 - t0
    return {"version": gt.__version__, "runs": len(seeds), "activations": acts,
            "seconds_dynamics": t_dyn, "seconds_with_setup": t_all,
            "activations_per_s": acts / t_dyn, "activations_per_s_with_setup": acts / t_all}


def eon_graph(n, src, dst):
    """(EoN, the networkx DiGraph) or (None, why)."""
    path = os.environ.get("RC_EON_PATH")
    if not path:
        return None, ("RC_EON_PATH not set (the folder holding EoN/ from "
                      "github.com/springer-math/Mathematics-of-Epidemics-on-Networks)")
    sys.path.insert(0, path)
    try:
        import EoN
    except ImportError as e:
        return None, f"RC_EON_PATH={path}: cannot import EoN ({e})"
    import networkx as nx
    G = nx.DiGraph()
    G.add_nodes_from(range(n))
    G.add_edges_from(zip(src.tolist(), dst.tolist()))
    return EoN, G


def bench_eon(EoN, G, p, seeds, seed):
    if EoN is None:
        return {"skipped": G}
    path = os.environ.get("RC_EON_PATH")
    rng = np.random.default_rng(seed)
    t = 0.0
    acts = 0
    for s in seeds:
        t0 = time.perf_counter()
        _, _, _, R = EoN.basic_discrete_SIR(G, p, initial_infecteds=[int(s)], rng=rng)
        t += time.perf_counter() - t0
        acts += int(R[-1])
    return {"version": getattr(EoN, "__version__", "?"), "path": path, "runs": len(seeds),
            "activations": acts, "seconds": t, "activations_per_s": acts / t}


def median(values):
    return float(np.median(values)) if values else float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=100_000)
    ap.add_argument("--edges", type=int, default=1_000_000)
    ap.add_argument("--p", type=float, default=0.12)
    ap.add_argument("--runs", type=int, default=2000, help="rtcascade runs")
    ap.add_argument("--other-runs", type=int, default=20,
                    help="graph-tool and EoN runs (from rtcascade's first seeds)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3, help="measure each tool this many times")
    ap.add_argument("--cpu", type=int, help="the CPU to pin to (default: the first allowed)")
    ap.add_argument("--json", help="also write the numbers here")
    a = ap.parse_args()
    cpu = pin(a.cpu)
    g = rtcascade.Graph.generate({"generator": "erdos_renyi", "nodes": a.nodes,
                                  "edges": a.edges}, seed=a.seed)
    src, dst = g.edges()
    print(f"graph: directed G(n, m), n = {g.num_nodes:,}, m = {g.num_edges:,} (mean degree "
          f"{g.num_edges / g.num_nodes:g}), p = {a.p}, single random seeds; one thread on CPU "
          f"{cpu}; load average {os.getloadavg()[0]:.2f}")
    seeds, on_seeds = seeds_of(g, a.p, a.seed, a.other_runs)
    gtg = graph_tool_graph(g.num_nodes, src, dst)
    eon, G = eon_graph(g.num_nodes, src, dst)
    reps = {"rtcascade": [], "graph_tool": [], "eon": []}
    for _ in range(a.repeat):
        reps["rtcascade"].append(bench_rtcascade(g, a.p, a.runs, a.seed))
        reps["graph_tool"].append(bench_graph_tool(gtg, a.p, seeds))
        reps["eon"].append(bench_eon(eon, G, a.p, seeds, a.seed))
    rate = {k: [r["activations_per_s"] for r in v if "skipped" not in r]
            for k, v in reps.items()}
    out = {"graph": {"nodes": g.num_nodes, "edges": g.num_edges, "p": a.p, "seed": a.seed},
           "cpu": cpu, "load_after": os.getloadavg()[0], "repeats": reps,
           "median_activations_per_s": {k: median(v) for k, v in rate.items()}}
    rc = reps["rtcascade"][0]

    def spread(v):
        return f"{median(v):.3g}/s (range {min(v):.3g}-{max(v):.3g})"
    print(f"rtcascade {rtcascade.__version__} ({rtcascade.library_path()}): {rc['runs']} runs, "
          f"P(global) = {rc['p_global']:.3f}, mean size {rc['mean_size']:,.0f}: "
          f"{spread(rate['rtcascade'])} activations")
    print(f"  its first {a.other_runs} runs (the others' seeds): {on_seeds:,} activations")
    for key, name in (("graph_tool", "graph-tool"), ("eon", "EoN")):
        first = reps[key][0]
        if "skipped" in first:
            print(f"{name}: skipped: {first['skipped']}")
            continue
        ratio = median(rate["rtcascade"]) / median(rate[key])
        out[f"ratio_{key}"] = ratio
        what = ("SIRState(gamma=1), dynamics only" if key == "graph_tool"
                else "basic_discrete_SIR")
        extra = ""
        if key == "graph_tool":
            extra = (f"; {median([r['activations_per_s_with_setup'] for r in reps[key]]):.3g}/s "
                     "with state setup")
        print(f"{name} {first['version']} {what}: {first['runs']} runs, {first['activations']:,} "
              f"activations: {spread(rate[key])}{extra}; rtcascade / {name} = {ratio:.0f}x")
    print(f"load average after: {out['load_after']:.2f}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
