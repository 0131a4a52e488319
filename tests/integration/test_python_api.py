#!/usr/bin/env python3
"""The Python API's engine side (python/rtcascade, with PYTHONPATH=build/python): graphs from
arrays, networkx, files and generators; simulate against the CLI; the cascade trees of
events=True against each run's metrics; errors as exceptions with the library's messages;
Ctrl-C; the GIL released while the engine runs.

- simulate on a file network and a generated one equals, column for column and bit for bit, the
  /runs of the same point written by `rtcascade run` (seeds, a list of account ids, an
  audience);
- from_networkx keeps isolated nodes, labels and communities; a star with p = 1 reaches all;
- events: per run, as many events as its size, its depth, breadth, retweets and structural
  virality (recomputed here from the parents) and final time, and every parent -> node an edge;
- errors: ConfigError with the config's file:line:col and key path, ArgumentError, InputError,
  FileError; a SIGINT during simulate raises Interrupted and leaves the library usable.

usage: test_python_api.py RTCASCADE SHARED_DATA_DIR"""
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

import h5py
import networkx as nx
import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rcitest import check, finish  # noqa: E402

import rtcascade  # noqa: E402

IC = {"name": "independent_cascade", "p": 0.1}


def runs_of(path, point):
    with h5py.File(path, "r") as f:
        df = pd.DataFrame(f["runs"][()])
    return df[df["point"] == point].reset_index(drop=True)


def same_frame(a, b, what):
    ok = list(a.columns) == list(b.columns) and len(a) == len(b) and all(
        a[c].dtype == b[c].dtype and a[c].to_numpy().tobytes() == b[c].to_numpy().tobytes()
        for c in a.columns)
    return check(ok, f"{what}: simulate's runs equal the CLI's, bit for bit "
                     f"({list(a.columns)} vs {list(b.columns)}, {len(a)} vs {len(b)} rows)")


def cli_run(cli, tmp, name, text):
    cfg = os.path.join(tmp, name + ".yaml")
    with open(cfg, "w") as f:
        f.write(text)
    out = os.path.join(tmp, name + ".h5")
    p = subprocess.run([cli, "run", cfg, "-o", out, "--quiet"], capture_output=True, text=True)
    check(p.returncode == 0, f"rtcascade run {name}: {p.stderr}")
    return out


def test_simulate_equals_cli(cli, data, tmp):
    edges = os.path.join(data, "twitter_ego_12831.edges")
    out = cli_run(cli, tmp, "ego", f"""name: ego
seed: 7
runs: 400
network: {{generator: file, path: {edges}, direction: follows}}
model: {{name: independent_cascade, p: 0.05}}
scenarios:
  random: {{seeds: {{strategy: random, count: 3}}}}
  listed: {{seeds: {{strategy: list, nodes: [398874773, 22253]}}}}
  audience: {{audience: {{size: 40, pick: top_followers, engagement: 0.2}}}}
sweep:
  model.p: [0.05, 0.15]
""")
    g = rtcascade.Graph.load(edges, direction="follows")
    check(g.num_nodes == 236 and g.labels is not None and 398874773 in g.labels.tolist(),
          f"the ego network loads with its account ids: {g}")
    # accounts without edges and communities, as the config's nodes: and communities: give them
    ids = os.path.join(tmp, "accounts.txt")
    circles = os.path.join(tmp, "circles.txt")
    with open(ids, "w") as f, open(circles, "w") as c:
        for k, v in enumerate(g.labels.tolist() + [1, 2, 3]):
            f.write(f"{v}\n")
            c.write(f"{v} {k % 3}\n")
    g2 = rtcascade.Graph.load(edges, direction="follows", nodes=ids, communities=circles)
    check(g2.num_nodes == 239 and g2.labels.tolist()[-3:] == [1, 2, 3] and
          g2.num_communities == 3, f"nodes= keeps 3 accounts without edges: {g2}")
    cases = [(1, {"seeds": {"strategy": "random", "count": 3}}, 0.15),
             (2, {"seeds": [398874773, 22253]}, 0.05),
             (5, {"audience": {"size": 40, "pick": "top_followers", "engagement": 0.2}}, 0.15)]
    for point, who, p in cases:
        df = rtcascade.simulate(g, {"name": "independent_cascade", "p": p}, runs=400, seed=7,
                                point=point, threads=1 + point % 2, **who)
        same_frame(df, runs_of(out, point), f"ego point {point} ({list(who)[0]})")
    check(df.attrs.get("kernel") == "per_run" and "fused_runs_per_read" not in df.attrs,
          f"auto ran per_run, no fused attribute: {df.attrs}")
    df = rtcascade.simulate(g, {"name": "independent_cascade", "p": 0.15}, runs=128, seed=7,
                            kernel="fused")
    share = df.attrs.get("fused_runs_per_read", 0)
    check(df.attrs.get("kernel") == "fused" and 1 <= share <= 64,
          f"fused: runs a follower read served, between 1 and 64: {df.attrs}")

    # a generated network: Graph.generate of the config's network: map
    net = {"generator": "chung_lu", "nodes": 3000, "mean_degree": 6}
    out2 = cli_run(cli, tmp, "gen", """name: gen
seed: 3
runs: 300
network: {generator: chung_lu, nodes: 3000, mean_degree: 6}
model: {name: continuous_cascade, p: 0.2}
max_size: 500
""")
    g2 = rtcascade.Graph.generate(net, seed=3)
    df = rtcascade.simulate(g2, {"name": "continuous_cascade", "p": 0.2}, runs=300, seed=3,
                            max_size=500)
    same_frame(df, runs_of(out2, 0), "generated chung_lu, timed model, max_size")


def test_graphs(tmp):
    # networkx: string labels, isolated nodes, communities
    G = nx.DiGraph()
    G.add_nodes_from((f"u{i}", {"circle": "ab"[i % 2]}) for i in range(200))
    rng = np.random.default_rng(1)
    for u, v in rng.integers(0, 150, size=(600, 2)):
        if u != v:
            G.add_edge(f"u{u}", f"u{v}")
    g = rtcascade.Graph.from_networkx(G, community="circle")
    check(g.num_nodes == 200 and g.num_edges == G.number_of_edges(),
          f"from_networkx keeps all 200 nodes (50 isolated) and the edges: {g}")
    check(list(g.labels) == list(G.nodes()), "from_networkx keeps the node labels in order")
    check((g.out_degree[150:] == 0).all() and (g.in_degree[150:] == 0).all(),
          "isolated nodes have no edges")
    check(g.num_communities == 2 and g.community_names == ["a", "b"] and
          g.communities[1] == 1, "communities from a node attribute")
    df, ev = rtcascade.simulate(g, {"name": "independent_cascade", "p": 0.3},
                                seeds={"strategy": "community", "community": 1, "count": 2},
                                runs=50, seed=2, events=True)
    seeds = ev[ev["parent"].isna()]["node"]
    check(len(seeds) == 100 and all(int(s[1:]) % 2 == 1 for s in seeds),
          "community seeds are members of that community, named by their labels")
    check(ev["node"].map(type).eq(str).all(), "events name nodes by their labels")
    H = g.to_networkx()
    check(set(H.nodes()) == set(G.nodes()) and set(H.edges()) == set(G.edges()) and
          H.nodes["u3"]["community"] == "b", "to_networkx round trip")
    df = rtcascade.simulate(g, IC, seeds=["u0", "u2"], runs=5, seed=1)
    check((df["size"] >= 2).all(), "seeds by label")
    try:
        rtcascade.simulate(g, IC, seeds=["nobody"], runs=5)
        check(False, "an unknown label is refused")
    except rtcascade.ConfigError as e:
        check("nobody" in str(e), f"an unknown label is named: {e}")

    # a star with p = 1 reaches everyone, from arrays and from the generator
    n = 1000
    star = rtcascade.Graph.from_edges(np.zeros(n - 1, np.uint32), np.arange(1, n, dtype=np.uint32),
                                      num_nodes=n + 5)
    df = rtcascade.simulate(star, {"name": "independent_cascade", "p": 1}, seeds=[0], runs=20)
    check((df["size"] == n).all() and (df["retweets"] == n - 1).all() and
          (df["reach"] == n).all() and (df["depth"] == 1).all() and
          (df["max_breadth"] == n - 1).all(), "a star with p = 1 reaches everyone")
    check(star.num_nodes == n + 5, "num_nodes keeps isolated nodes")
    gstar = rtcascade.Graph.generate({"generator": "star", "nodes": n})
    df2 = rtcascade.simulate(gstar, {"name": "independent_cascade", "p": 1}, seeds=[0], runs=20)
    check((df2["size"] == n).all(), "the generated star too")

    # integer labels are known to the library; weights; undirected networkx; files
    W = nx.Graph()
    W.add_weighted_edges_from([(10, 20, 0.5), (20, 30, 1.0)])
    W.add_node(99)
    gw = rtcascade.Graph.from_networkx(W, weight="weight")
    check(gw.num_edges == 4 and gw.undirected and gw.weights is not None and
          sorted(gw.labels.tolist()) == [10, 20, 30, 99], f"undirected, weighted: {gw}")
    ev = rtcascade.simulate(gw, {"name": "independent_cascade", "probability": "weights"},
                            seeds=[30], runs=200, seed=4, events=True)[1]
    check(set(ev["node"].tolist()) <= {10, 20, 30} and (ev[ev["node"] == 20]["parent"] == 30).all(),
          "per-edge weights as probabilities; events name integer labels")
    path = os.path.join(tmp, "g.h5")
    g.save(path)
    back = rtcascade.Graph.load(path)
    check(back.num_nodes == 200 and np.array_equal(back.out_neighbors, g.out_neighbors) and
          np.array_equal(back.communities, g.communities), "a saved graph loads back")
    kept, fresh = back.stats(), g.stats()
    check(set(kept) == set(fresh) and
          all(kept[k] == fresh[k] or (kept[k] != kept[k] and fresh[k] != fresh[k])
              for k in fresh), f"the statistics kept in the file are the graph's: {kept}")
    m = star.to_scipy()
    check(m.shape == (n + 5, n + 5) and m.nnz == n - 1 and m[0, 5] == 1, "to_scipy")
    st = star.stats()
    check(st["nodes"] == n + 5 and st["isolated"] == 5 and st["max_out_degree"] == n - 1,
          f"stats: {st}")


def tree_metrics(grp, rooted):
    """(size, depth, max_breadth, virality, last time) of one run's events."""
    n = len(grp)
    if n == 0:
        return 0, 0, 0, 0.0, np.nan
    pos = {v: i for i, v in enumerate(grp["node"].tolist())}
    parent = [pos[p] if not pd.isna(p) else -1 for p in grp["parent"].tolist()]
    gen = grp["generation"].to_numpy()
    roots = sum(1 for p in parent if p < 0)
    virtual = rooted or roots > 1
    nn = n + (1 if virtual else 0)
    sub = np.ones(n)
    total = 0.0
    for i in range(n - 1, -1, -1):
        if parent[i] >= 0:
            sub[parent[i]] += sub[i]
        if parent[i] >= 0 or virtual:
            total += sub[i] * (nn - sub[i])
    vir = total / (nn * (nn - 1) / 2) if nn > 1 else 0.0
    counts = np.bincount(gen)
    breadth = int(counts[1:].max()) if len(counts) > 1 else 0
    last = grp["time"].max() if "time" in grp else np.nan
    return n, int(gen.max()), breadth, vir, last


def test_events():
    g = rtcascade.Graph.generate({"generator": "erdos_renyi", "nodes": 4000, "mean_degree": 5},
                                 seed=9)
    src, dst = g.edges()
    edges = set(zip(src.tolist(), dst.tolist()))
    for model, who in ((IC | {"p": 0.25}, {"seeds": {"strategy": "random", "count": 2}}),
                       ({"name": "continuous_cascade", "p": 0.25}, {}),
                       (IC | {"p": 0.2}, {"audience": {"size": 100, "pick": "random",
                                                       "engagement": 0.3}})):
        df, ev = rtcascade.simulate(g, model, runs=150, seed=5, events=True, threads=2, **who)
        plain = rtcascade.simulate(g, model, runs=150, seed=5, threads=1, **who)
        check(df.equals(plain), f"{model['name']}: events change no run")
        rooted = "audience" in who
        bad = []
        for run, grp in ev.groupby("run"):
            row = df.iloc[int(run)]
            size, depth, breadth, vir, last = tree_metrics(grp, rooted)
            seeds = int(grp["parent"].isna().sum())
            if (size != row["size"] or depth != row["depth"] or breadth != row["max_breadth"]
                    or (rooted and size != row["retweets"])
                    or (not rooted and size - seeds != row["retweets"])
                    or abs(vir - row["virality"]) > 1e-9 * (1 + vir)
                    or ("time" in grp and last != row["final_time"])):
                bad.append(run)
            linked = grp.dropna(subset=["parent"])
            if not all((int(p), int(v)) in edges for p, v in zip(linked["parent"],
                                                                   linked["node"])):
                bad.append(f"{run} (a parent that the node does not follow)")
        check(not bad and ev["run"].nunique() == (df["size"] > 0).sum(),
              f"{model['name']}{' audience' if rooted else ''}: trees agree with size, depth, "
              f"breadth, retweets, virality{', final time' if 'time' in ev else ''} (bad runs "
              f"{bad[:5]})")
        check(("time" in ev.columns) == (model["name"] == "continuous_cascade"),
              "a time column for timed models only")
        if rooted:
            check((ev[ev["parent"].isna()]["generation"] == 1).all(),
                  "an audience's first hop is generation 1")


def expect(exc, fn, text, what):
    try:
        fn()
    except exc as e:
        check(text in str(e), f"{what}: the message says '{text}': {e}")
        return e
    except Exception as e:  # the wrong kind
        check(False, f"{what}: expected {exc.__name__}, got {type(e).__name__}: {e}")
        return e
    check(False, f"{what}: no {exc.__name__} raised")


def test_errors(cli, data):
    g = rtcascade.Graph.generate({"generator": "star", "nodes": 10})
    e = expect(rtcascade.ConfigError, lambda: rtcascade.simulate(g, IC | {"p": 1.5}),
               "model.p: expected a number in [0, 1], got '1.5'", "p out of range")
    check(isinstance(e, rtcascade.Error) and isinstance(e, ValueError) and e.status == 2 and
          str(e).startswith("simulate:"), "ConfigError is an rtcascade.Error (status CONFIG)")
    expect(rtcascade.ConfigError, lambda: rtcascade.simulate(g, {"name": "cascade"}),
           "independent_cascade", "an unknown model lists the valid ones")
    expect(rtcascade.ConfigError,
           lambda: rtcascade.simulate(g, IC, seeds={"count": 2}, audience={"size": 3,
                                                                           "engagement": 0.1}),
           "give only one", "seeds and audience together")
    expect(rtcascade.ConfigError, lambda: rtcascade.simulate(g, IC, seeds={"count": 20}),
           "seeds", "more seeds than nodes")
    expect(rtcascade.ConfigError, lambda: rtcascade.simulate(g, IC, seeds=[10]),
           "node 10 does not exist", "a seed outside the graph")
    expect(rtcascade.ConfigError,
           lambda: rtcascade.Graph.generate({"generator": "erdos_renyi", "nodez": 5}),
           "did you mean 'nodes'", "an unknown network key")
    expect(rtcascade.ArgumentError, lambda: rtcascade.Graph.from_edges([0, 1], [1, 7],
                                                                       num_nodes=5),
           "edge 1 (1 -> 7) names a node outside 0..4", "an edge outside the nodes")
    expect(rtcascade.ArgumentError, lambda: rtcascade.Graph.from_edges([0], [1], weights=[-1]),
           "expected a finite weight >= 0", "a negative weight")
    expect(rtcascade.FileError, lambda: rtcascade.Graph.load("/nonexistent/x.edges",
                                                             direction="flows"),
           "/nonexistent/x.edges", "a missing file")
    bad = os.path.join(os.path.dirname(data.rstrip("/")), "loader_bad_token.edges")
    if not os.path.exists(bad):
        bad = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data",
                           "loader_bad_token.edges")
    expect(rtcascade.InputError, lambda: rtcascade.Graph.load(bad, direction="flows"),
           "loader_bad_token.edges:3:", "a malformed edge list names file:line")
    expect(rtcascade.ConfigError, lambda: rtcascade.Graph.load(bad), "direction",
           "an edge list without a direction")
    # the same message as the command line's for a bad config file
    cfg = os.path.join(os.path.dirname(os.path.abspath(__file__)), "configs",
                       "08_p_above_one.yaml")
    p = subprocess.run([cli, "run", cfg, "--dry-run"], capture_output=True, text=True)
    e = expect(rtcascade.ConfigError, lambda: rtcascade.run(cfg, output="/tmp/never.h5"),
               "08_p_above_one.yaml:7:", "a bad config file")
    check(e is not None and str(e) in p.stderr, f"the CLI says the same: {p.stderr!r} / {e}")
    expect(rtcascade.ConfigError,
           lambda: rtcascade.run({"network": {"generator": "star", "nodes": 5},
                                  "modle": IC}), "did you mean 'model'", "a bad dict config")


def test_interrupt_and_gil():
    g = rtcascade.Graph.generate({"generator": "erdos_renyi", "nodes": 200000,
                                  "mean_degree": 10}, seed=1)
    model = {"name": "independent_cascade", "p": 0.12}
    # GIL: a Python thread keeps counting while the engine runs
    count, stop = [0], threading.Event()

    def spin():
        while not stop.is_set():
            count[0] += 1
    t = threading.Thread(target=spin)
    t.start()
    t0 = time.monotonic()
    rtcascade.simulate(g, model, runs=60, seed=1, threads=1)
    took = time.monotonic() - t0
    stop.set()
    t.join()
    check(count[0] > 20000 * took, f"another thread ran during simulate ({count[0]} loops in "
                                   f"{took:.2f} s): the GIL is released")
    # Ctrl-C: SIGINT to the process while simulate runs
    timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    t0 = time.monotonic()
    try:
        rtcascade.simulate(g, model, runs=100000, seed=1, threads=2)
        check(False, "SIGINT stops simulate")
    except rtcascade.Interrupted as e:
        check(isinstance(e, KeyboardInterrupt) and "stopped before" in str(e),
              f"Interrupted (a KeyboardInterrupt) with the library's message: {e}")
    check(time.monotonic() - t0 < 20, "it stopped soon after the signal")
    timer.join()
    df = rtcascade.simulate(g, model, runs=10, seed=1)
    check(len(df) == 10, "the library works after an interrupted call")


def main():
    cli, data = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    check(os.path.samefile(os.path.dirname(rtcascade.library_path()),
                           os.path.dirname(os.path.abspath(cli))) or "RTCASCADE_LIBRARY"
          in os.environ, f"the build's library is used: {rtcascade.library_path()}")
    with tempfile.TemporaryDirectory() as tmp:
        test_simulate_equals_cli(cli, data, tmp)
        test_graphs(tmp)
        test_events()
        test_errors(cli, data)
        test_interrupt_and_gil()
    return finish("test_python_api")


if __name__ == "__main__":
    sys.exit(main())
