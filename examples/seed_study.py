#!/usr/bin/env python3
"""The seed study's question on a real follower network: does a post spread further through a
few well-followed, engaged accounts, or through many random ones who rarely reshare?

The network is the follower graph around @bofa_careers (13,688 accounts; the project's shared
data: ../shared/data, or the copy in tests/data/shared). An author outside the network posts
to an audience picked from it (the config's `audience:`); each audience member reshares with
probability `engagement`, and from there everyone reshares what they see with probability p.

Run from a build:  PYTHONPATH=build/python /usr/bin/python3 examples/seed_study.py
"""
import os

import rtcascade

HERE = os.path.dirname(os.path.abspath(__file__))


def data_file(name):
    """A file of the project's shared data: ../shared/data beside the repository, else the
    copy in tests/data/shared."""
    for folder in (os.path.join(HERE, "..", "..", "shared", "data"),
                   os.path.join(HERE, "..", "tests", "data", "shared")):
        if os.path.exists(os.path.join(folder, name)):
            return os.path.join(folder, name)
    raise FileNotFoundError(name)


# Lines "a b" of this file mean information flows a -> b (b follows a).
g = rtcascade.Graph.load(data_file("twitter_bofa_careers.edges"), direction="flows")
print(g)

authors = {  # the config's audience: keys
    "25 hand-picked, 15% reshare": {"size": 25, "pick": "top_followers", "engagement": 0.15},
    "250 random, 1% reshare": {"size": 250, "pick": "random", "engagement": 0.01},
    "2,500 random, 1% reshare": {"size": 2500, "pick": "random", "engagement": 0.01},
}
for p in (0.02, 0.05):
    print(f"\nreshare probability p = {p}")
    print(f"  {'audience':30s} {'retweets':>16s} {'reach':>18s}")
    for name, audience in authors.items():
        runs = rtcascade.simulate(g, {"name": "independent_cascade", "p": p},
                                  audience=audience, runs=2000, seed=1)
        rt, reach = runs["retweets"], runs["reach"]
        print(f"  {name:30s} {rt.mean():8.2f} ± {1.96 * rt.sem():5.2f} "
              f"{reach.mean():10.0f} ± {1.96 * reach.sem():5.0f}")
print("\n(means over 2,000 runs ± 95% confidence intervals)")
