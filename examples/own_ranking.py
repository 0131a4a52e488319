#!/usr/bin/env python3
"""Seeds from your own ranking: pick the starting accounts with any measure you like (here
PageRank and the k-core number from networkx) and compare them with rtcascade's own strategies.

Network: the follower graph around @hersheycareers (3,726 accounts; the project's shared data).

Run from a build:  PYTHONPATH=build/python /usr/bin/python3 examples/own_ranking.py
"""
import os

import networkx as nx

import rtcascade

HERE = os.path.dirname(os.path.abspath(__file__))


def data_file(name):
    for folder in (os.path.join(HERE, "..", "..", "shared", "data"),
                   os.path.join(HERE, "..", "tests", "data", "shared")):
        if os.path.exists(os.path.join(folder, name)):
            return os.path.join(folder, name)
    raise FileNotFoundError(name)


g = rtcascade.Graph.load(data_file("twitter_hershey_careers.edges"), direction="flows")
G = g.to_networkx()          # node names are the file's account ids
print(g)

k = 10
# Edges point the way information flows (u -> v: v follows u), so PageRank of the reversed
# graph (follower -> followed) ranks an account high when it is followed by accounts that are
# themselves followed.
pagerank = nx.pagerank(G.reverse(copy=False), alpha=0.85)
core = nx.core_number(G)     # the deepest k-core an account belongs to (ties: any order)
rankings = {
    "PageRank": sorted(pagerank, key=pagerank.get, reverse=True)[:k],
    "k-core": sorted(core, key=core.get, reverse=True)[:k],
}
model = {"name": "independent_cascade", "p": 0.03}
print(f"\n{k} seeds per run, p = {model['p']}, 2,000 runs each:")
for name, accounts in rankings.items():     # a list of account ids = strategy: list
    runs = rtcascade.simulate(g, model, seeds=accounts, runs=2000, seed=3)
    print(f"  {name:22s} mean retweets {runs['retweets'].mean():7.2f}, reach "
          f"{runs['reach'].mean():7.0f}")
for strategy in ("top_followers", "degree_discount", "random"):   # rtcascade's own
    runs = rtcascade.simulate(g, model, seeds={"strategy": strategy, "count": k}, runs=2000,
                              seed=3)
    print(f"  {strategy:22s} mean retweets {runs['retweets'].mean():7.2f}, reach "
          f"{runs['reach'].mean():7.0f}")
