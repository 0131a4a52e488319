#!/usr/bin/python3
"""Activations per second of rtcascade and its peers on one core, on the same CSR graph.

One directed G(n, m) made by rtcascade (default n = 10^5, m = 10^6), handed as the same CSR
arrays (or edge list) to every tool; single random seeds; three workloads: the independent
cascade at p = 0.05 (subcritical, mean size 2) and p = 0.12 (supercritical), and the linear
threshold model with weights 1/in-degree. Every tool runs on one thread with this process
pinned to one CPU; each is measured --repeat times in turn and the median is reported, as CPU
time (what the tool itself used; other work on the machine then costs it less) and wall time.

- rtcascade: the whole `rtcascade run` command (network built from the same generator and
  seed, results file written), timed as a process (CPU time of the child, and wall); the
  engine-only rate uses the `runs` time of its --verbose timing line. Activations are the sum
  of /runs.size.
- CyNetDiff (a Cython IC/LT simulator; not a Debian package): imported from the folder named by
  RC_CYNETDIFF_PATH (the one holding cynetdiff/, e.g. its built package), skipped with a message
  when it is not set. IndependentCascadeModel(starts, edges, activation_prob=p, rng=seed) and
  LinearThresholdModel(starts, edges, rng=seed) (weights 1/in-degree by default); per run
  set_seeds([s]); advance_until_completion(); get_num_activated_nodes().
- graph-tool (Debian's python3-graph-tool): SIRState(beta=p, gamma=1, constant_beta=True),
  iterate_sync until nobody is infected (dynamics only). No linear threshold model.
- EoN: basic_discrete_SIR on a networkx DiGraph, imported from RC_EON_PATH as
  scripts/bench_python.py does. No linear threshold model.

Usage: RC_CYNETDIFF_PATH=/path/to/pkg RC_EON_PATH=/path/to/eon OMP_NUM_THREADS=1 \\
         /usr/bin/python3 scripts/bench_peers.py [--build build] [--repeat 3] [--cpu 1]
"""
import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _rcenv  # noqa: E402

_rcenv.need("bench_peers", "numpy", "h5py", "pandas")

import numpy as np

from bench_python import eon_graph, pin, rtcascade  # noqa: E402

# (label, model YAML, rtcascade runs, peer runs)
WORKLOADS = [
    ("IC p=0.05", "{name: independent_cascade, p: 0.05}", 1000000, 20000),
    ("IC p=0.12", "{name: independent_cascade, p: 0.12}", 1000, 100),
    ("LT 1/in-degree", "{name: linear_threshold}", 100000, 10000),
]


def cpu_children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def bench_rtcascade(exe, tmp, n, m, graph_seed, model, runs, seed):
    cfg = os.path.join(tmp, "peers.yaml")
    out = os.path.join(tmp, "peers.h5")
    with open(cfg, "w") as f:
        f.write(f"name: peers\nseed: {seed}\nruns: {runs}\n"
                f"network: {{generator: erdos_renyi, nodes: {n}, edges: {m}, seed: {graph_seed}}}\n"
                f"model: {model}\nseeds: {{strategy: random, count: 1}}\n")
    if os.path.exists(out):
        os.remove(out)
    c0, t0 = cpu_children(), time.perf_counter()
    p = subprocess.run([exe, "run", cfg, "-o", out, "--threads", "1", "--verbose"],
                       capture_output=True, text=True, check=True)
    wall, cpu = time.perf_counter() - t0, cpu_children() - c0
    engine = float(re.search(r"; runs ([0-9.]+) s", p.stdout + p.stderr).group(1))
    import h5py
    with h5py.File(out, "r") as f:
        acts = int(f["runs"]["size"].sum())
        kernel = f["summary"]["kernel"][0].decode()
    return {"activations": acts, "cpu": cpu, "wall": wall, "engine": engine, "kernel": kernel,
            "rate_cpu": acts / cpu, "rate_wall": acts / wall, "rate_engine": acts / engine}


def timed_runs(step, seeds):
    acts, c0, t0 = 0, time.process_time(), time.perf_counter()
    for s in seeds:
        acts += step(int(s))
    cpu, wall = time.process_time() - c0, time.perf_counter() - t0
    return {"activations": acts, "cpu": cpu, "wall": wall, "rate_cpu": acts / cpu,
            "rate_wall": acts / wall}


def cynetdiff():
    path = os.environ.get("RC_CYNETDIFF_PATH")
    if not path:
        return None, "RC_CYNETDIFF_PATH not set (the folder holding cynetdiff/)"
    sys.path.insert(0, path)
    try:
        import cynetdiff.models as cm
    except ImportError as e:
        return None, f"RC_CYNETDIFF_PATH={path}: cannot import cynetdiff ({e})"
    return cm, path


def bench_cynetdiff(cm, starts, edges, label, p, seeds, seed):
    if label.startswith("LT"):
        model = cm.LinearThresholdModel(starts, edges, rng=seed)
    else:
        model = cm.IndependentCascadeModel(starts, edges, activation_prob=p, rng=seed)

    def step(s):
        model.set_seeds([s])
        model.advance_until_completion()
        return model.get_num_activated_nodes()
    return timed_runs(step, seeds)


def bench_graph_tool(g, p, seeds):
    import graph_tool.dynamics as gd

    def step(s):
        st = gd.SIRState(g, beta=p, gamma=1.0, r=0, v0=s, constant_beta=True)
        while st.iterate_sync(niter=1) > 0:
            pass
        return int((st.get_state().a == 2).sum())
    return timed_runs(step, seeds)


def bench_eon(EoN, G, p, seeds, seed):
    rng = np.random.default_rng(seed)

    def step(s):
        return int(EoN.basic_discrete_SIR(G, p, initial_infecteds=[s], rng=rng)[3][-1])
    return timed_runs(step, seeds)


def median(xs):
    return float(np.median(xs)) if xs else float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--nodes", type=int, default=100_000)
    ap.add_argument("--edges", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cpu", type=int)
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every run count")
    a = ap.parse_args()
    cpu = pin(a.cpu)
    os.environ["OMP_NUM_THREADS"] = "1"
    exe = os.path.join(a.build, "rtcascade")
    g = rtcascade.Graph.generate({"generator": "erdos_renyi", "nodes": a.nodes,
                                  "edges": a.edges}, seed=a.seed)
    src, dst = g.edges()
    order = np.lexsort((dst, src))
    src, dst = src[order].astype(np.uintc), dst[order].astype(np.uintc)
    starts = np.zeros(a.nodes, dtype=np.uintc)
    starts[1:] = np.cumsum(np.bincount(src, minlength=a.nodes))[:-1]
    print(f"graph: directed G(n, m) by rtcascade, n = {a.nodes:,}, m = {len(src):,}; one "
          f"thread on CPU {cpu}; load average {os.getloadavg()[0]:.2f}; "
          f"{time.strftime('%Y-%m-%d')}")
    cm, cm_why = cynetdiff()
    try:
        import graph_tool as gt
        gt.openmp_set_num_threads(1)
        gtg = gt.Graph(directed=True)
        gtg.add_vertex(a.nodes)
        gtg.add_edge_list(np.stack([src, dst], axis=1))
    except ImportError:
        gtg = None
    eon, G = eon_graph(a.nodes, src, dst)
    rng = np.random.default_rng(a.seed)
    with tempfile.TemporaryDirectory(prefix="rc_bench_peers_") as tmp:
        for label, model, rc_runs, runs in WORKLOADS:
            rc_runs, runs = int(rc_runs * a.scale), int(runs * a.scale)
            p = float(re.search(r"p: ([0-9.]+)", model).group(1)) if "p:" in model else None
            seeds = rng.integers(0, a.nodes, size=runs)
            res = {"rtcascade": [], "CyNetDiff": [], "graph-tool": [], "EoN": []}
            for _ in range(a.repeat):
                res["rtcascade"].append(bench_rtcascade(exe, tmp, a.nodes, a.edges, a.seed,
                                                        model, rc_runs, a.seed))
                if cm is not None:
                    res["CyNetDiff"].append(bench_cynetdiff(cm, starts, dst, label, p, seeds,
                                                            a.seed))
                if p is not None and gtg is not None:
                    res["graph-tool"].append(bench_graph_tool(gtg, p, seeds[:max(runs // 50, 20)]))
                if p is not None and eon is not None:
                    res["EoN"].append(bench_eon(eon, G, p, seeds[:max(runs // 50, 20)], a.seed))
            ours = median([r["rate_cpu"] for r in res["rtcascade"]])
            r0 = res["rtcascade"][0]
            print(f"\n{label}: rtcascade {rc_runs} runs (kernel {r0['kernel']}), peers "
                  f"{runs} runs (graph-tool and EoN {max(runs // 50, 20)}); load "
                  f"{os.getloadavg()[0]:.2f}")
            print(f"  {'tool':11s} {'act/CPU-s':>10s} {'act/wall-s':>11s}  rtcascade/tool (CPU)")
            print(f"  {'rtcascade':11s} {ours:10.3g} "
                  f"{median([r['rate_wall'] for r in res['rtcascade']]):11.3g}  "
                  f"(engine only {median([r['rate_engine'] for r in res['rtcascade']]):.3g}/s "
                  f"wall)")
            for tool in ("CyNetDiff", "graph-tool", "EoN"):
                if not res[tool]:
                    why = (cm_why if tool == "CyNetDiff" and cm is None else
                           G if tool == "EoN" and eon is None else "no such model")
                    print(f"  {tool:11s} skipped: {why}")
                    continue
                rate = median([r["rate_cpu"] for r in res[tool]])
                print(f"  {tool:11s} {rate:10.3g} "
                      f"{median([r['rate_wall'] for r in res[tool]]):11.3g}  {ours / rate:.1f}x")


if __name__ == "__main__":
    main()
