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

The engine's two kernels (engine.kernel) are timed on the same graph and seeds: per_run (one
run at a time) and fused (64 runs at a time, one bit per run per node), in turn, --repeat times
each (median; CPU time of the process, so that other work on the machine costs less), and the
kernel `auto` picks for the point is printed. Run it pinned to one core:
`taskset -c 1 scripts/bench_ic.py --nodes 100000 --edges 1000000 --p 0.12`.

Usage: scripts/bench_ic.py [--build BUILD_DIR] [--runs 200] [--gt-runs 20] [--threads 1]
         [--kernels per_run,fused] [--repeat 3]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _rcenv  # noqa: E402

_rcenv.need("bench_ic", "numpy")

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
    ap.add_argument("--kernels", default="per_run,fused",
                    help="engine kernels to time, in turn (the first one's seeds go to graph-tool)")
    ap.add_argument("--repeat", type=int, default=3, help="times each kernel is run (median)")
    a = ap.parse_args()

    exe = os.path.join(a.build, "tests", "rc_bench_ic")
    if not os.path.exists(exe):
        sys.exit(f"bench_ic: {exe} not found (build with -DRC_BUILD_TESTS=ON, Release)")
    with tempfile.TemporaryDirectory(prefix="rc_bench_ic_") as tmp:
        edges_path = os.path.join(tmp, "edges.u32")
        seeds_path = os.path.join(tmp, "seeds.u32")

        def run(kernel, write):
            cmd = [exe, "--nodes", str(a.nodes), "--edges", str(a.edges), "--p", str(a.p),
                   "--runs", str(a.runs), "--threads", str(a.threads), "--seed", str(a.seed),
                   "--kernel", kernel]
            if write:
                cmd += ["--write-edges", edges_path, "--write-seeds", seeds_path]
            return json.loads(subprocess.run(cmd, check=True, capture_output=True,
                                             text=True).stdout)

        kernels = a.kernels.split(",")
        rates = {k: [] for k in kernels}
        rc = None
        for i in range(a.repeat):
            for k in kernels:
                out = run(k, rc is None)
                rc = rc or out
                rates[k].append(out)
        auto = run("auto", False)["kernel"]
        per_core = rc["edge_trials_per_s"] / rc["threads"]
        print(f"graph: directed Erdos-Renyi n={rc['nodes']} m={rc['edges']}, p={rc['p']}, "
              f"single random seeds; load {os.getloadavg()[0]:.1f}")
        print(f"rtcascade:  {rc['runs']} runs on {rc['threads']} thread(s); "
              f"P(global)={rc['p_global']:.3f}, mean size {rc['mean_size']:.0f}")
        med = {}
        for k in kernels:
            xs = sorted(r["activations_per_cpu_s"] for r in rates[k])
            walls = sorted(r["activations_per_s"] for r in rates[k])
            med[k] = xs[len(xs) // 2]
            print(f"  {k:8s} activations per CPU-second: median {med[k]:.3g} "
                  f"(range {xs[0]:.3g}-{xs[-1]:.3g}); per wall-second {walls[len(walls) // 2]:.3g}")
        if "per_run" in med and "fused" in med:
            print(f"  fused / per_run: {med['fused'] / med['per_run']:.2f}x (target >= 3x on "
                  f"supercritical points)")
        print(f"  engine.kernel: auto picks {auto} here")
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
            t0 = time.process_time()  # CPU time, as for rtcascade
            st = gd.SIRState(g, beta=a.p, gamma=1.0, r=0, v0=int(s), constant_beta=True)
            t1 = time.process_time()
            while st.iterate_sync(niter=1) > 0:
                pass
            t2 = time.process_time()
            acts += int((st.get_state().a == 2).sum())
            t_dyn += t2 - t1
            t_all += t2 - t0
        gt_rate = acts / t_dyn
        ratio = med[kernels[0]] / rc["threads"] / gt_rate
        for kern in kernels:
            print(f"  {kern} per CPU-second / graph-tool: {med[kern] / gt_rate:.0f}x")
        print(f"graph-tool {gt.__version__} SIRState(beta={a.p}, gamma=1): {len(seeds[:k])} runs "
              f"from the same "
              f"seeds, {acts} activations (rtcascade had {ours} on those seeds)")
        print(f"  activations/s: {gt_rate:.3g} dynamics only, {acts / t_all:.3g} with state setup")
        print(f"  rtcascade ({kernels[0]}, CPU time) / graph-tool: {ratio:.0f}x (dynamics only), "
              f"{med[kernels[0]] / (acts / t_all):.0f}x (with setup); "
              f"target >= 150x at n = 1e5: {'PASS' if ratio >= 150 else 'FAIL'}")


if __name__ == "__main__":
    main()
