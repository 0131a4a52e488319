#!/usr/bin/env python3
"""Independent cascade throughput: rtcascade's engine against graph-tool's SIRState.

Builds a directed Erdos-Renyi graph (default n = 10^6, m = 10^7) with rtcascade, runs
single-random-seed independent cascades (default p = 0.12) on one thread, and reports edge
trials per second (out-edges of every adopter, examined or skipped over) and activations per
second. Then loads the very same graph into graph-tool and runs SIRState with beta = p,
gamma = 1 (every infected node gets one chance per out-edge, then recovers: the independent
cascade) from the same seed nodes, also on one thread, counting recovered nodes as activations.

Targets (docs/benchmarks.md): >= 4e7 edge trials/s per core, and >= 100x graph-tool's
activations/s. graph-tool's time is taken two ways: the dynamics alone (iterate_sync until no
node is infected; the ratio quoted) and with building each run's SIRState (which graph-tool
needs, as resetting a state in place does not reset its internal buffers).

Usage: scripts/bench_ic.py [--build BUILD_DIR] [--runs 200] [--gt-runs 20] [--threads 1]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build", help="CMake build folder (holds tests/rc_bench_ic)")
    ap.add_argument("--nodes", type=int, default=1_000_000)
    ap.add_argument("--edges", type=int, default=10_000_000)
    ap.add_argument("--p", type=float, default=0.12)
    ap.add_argument("--runs", type=int, default=200, help="rtcascade runs")
    ap.add_argument("--gt-runs", type=int, default=20, help="graph-tool runs (first seeds)")
    ap.add_argument("--threads", type=int, default=1, help="rtcascade threads")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-graph-tool", action="store_true")
    a = ap.parse_args()

    exe = os.path.join(a.build, "tests", "rc_bench_ic")
    if not os.path.exists(exe):
        sys.exit(f"bench_ic: {exe} not found (build with -DRC_BUILD_TESTS=ON, Release)")
    with tempfile.TemporaryDirectory(prefix="rc_bench_ic_") as tmp:
        edges_path = os.path.join(tmp, "edges.u32")
        seeds_path = os.path.join(tmp, "seeds.u32")
        cmd = [exe, "--nodes", str(a.nodes), "--edges", str(a.edges), "--p", str(a.p),
               "--runs", str(a.runs), "--threads", str(a.threads), "--seed", str(a.seed),
               "--write-edges", edges_path, "--write-seeds", seeds_path]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        rc = json.loads(out)
        per_core = rc["edge_trials_per_s"] / rc["threads"]
        print(f"graph: directed Erdos-Renyi n={rc['nodes']} m={rc['edges']}, p={rc['p']}, "
              f"single random seeds")
        print(f"rtcascade:  {rc['runs']} runs on {rc['threads']} thread(s) in {rc['seconds']:.3f} s; "
              f"P(global)={rc['p_global']:.3f}, mean size {rc['mean_size']:.0f}")
        print(f"  edge trials/s: {rc['edge_trials_per_s']:.3g} ({per_core:.3g} per core; "
              f"target >= 4e7: {'PASS' if per_core >= 4e7 else 'FAIL'})")
        print(f"  activations/s: {rc['activations_per_s']:.3g}")
        if a.no_graph_tool:
            return
        try:
            import graph_tool as gt
            import graph_tool.dynamics as gd
        except ImportError:
            print("graph-tool: not installed (apt install python3-graph-tool); comparison skipped")
            return
        gt.openmp_set_num_threads(1)
        edges = np.fromfile(edges_path, dtype=np.uint32).reshape(-1, 2)
        seeds = np.fromfile(seeds_path, dtype=np.uint32).reshape(-1, 2)
        g = gt.Graph(directed=True)
        g.add_vertex(rc["nodes"])
        g.add_edge_list(edges)
        del edges
        k = min(a.gt_runs, len(seeds))
        t_dyn = t_all = 0.0
        acts = 0
        ours = int(seeds[:k, 1].sum())
        for s in seeds[:k, 0]:
            t0 = time.perf_counter()
            st = gd.SIRState(g, beta=a.p, gamma=1.0, r=0, v0=int(s), constant_beta=True)
            t1 = time.perf_counter()
            while st.iterate_sync(niter=1) > 0:
                pass
            t2 = time.perf_counter()
            acts += int((st.get_state().a == 2).sum())
            t_dyn += t2 - t1
            t_all += t2 - t0
        gt_rate = acts / t_dyn
        ratio = rc["activations_per_s"] / rc["threads"] / gt_rate
        print(f"graph-tool {gt.__version__} SIRState(beta={a.p}, gamma=1): {k} runs from the same "
              f"seeds, {acts} activations (rtcascade had {ours} on those seeds)")
        print(f"  activations/s: {gt_rate:.3g} dynamics only, {acts / t_all:.3g} with state setup")
        print(f"  rtcascade per core / graph-tool: {ratio:.0f}x (dynamics only), "
              f"{rc['activations_per_s'] / rc['threads'] / (acts / t_all):.0f}x (with setup); "
              f"target >= 100x: {'PASS' if ratio >= 100 else 'FAIL'}")


if __name__ == "__main__":
    main()
