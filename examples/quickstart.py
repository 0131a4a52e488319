#!/usr/bin/env python3
"""Quickstart: cascades on a networkx graph, in a few lines.

Run from a build:  PYTHONPATH=build/python /usr/bin/python3 examples/quickstart.py
"""
import networkx as nx

import rtcascade

# 1. Any networkx graph. In a DiGraph an edge u -> v means "v follows u": v sees what u posts.
#    Node labels (here strings) are kept, isolated accounts too.
G = nx.gnm_random_graph(2000, 10000, directed=True, seed=1)
G = nx.relabel_nodes(G, {v: f"user{v}" for v in G})
G.add_nodes_from(["lurker1", "lurker2"])          # accounts that follow nobody
g = rtcascade.Graph.from_networkx(G)
print(g)                                          # 2,002 nodes, 10,000 edges, labels

# 2. Independent cascades: each new resharer gets one chance, with probability p, to make each
#    of its followers reshare. One random author per run; 5,000 runs on all cores.
model = {"name": "independent_cascade", "p": 0.15}   # the config file's `model:` keys
runs = rtcascade.simulate(g, model, runs=5000, seed=42)
print(runs[["retweets", "reach", "depth", "virality"]].describe().round(2))
print(f"P(more than 100 retweets) = {(runs['retweets'] > 100).mean():.3f}")

# 3. Who reshared from whom: events=True adds every reshare of every run (the cascade trees).
runs, events = rtcascade.simulate(g, model, seeds=["user7"], runs=100, seed=1, events=True)
biggest = int(runs["size"].idxmax())
tree = events[events["run"] == biggest]
print(f"run {biggest}: {len(tree)} accounts, depth {runs['depth'][biggest]}; first reshares:")
print(tree.head(8).to_string(index=False))

# 4. Bad values are refused with the config's own message.
try:
    rtcascade.simulate(g, {"name": "independent_cascade", "p": 1.5})
except rtcascade.ConfigError as e:
    print("ConfigError:", e)
