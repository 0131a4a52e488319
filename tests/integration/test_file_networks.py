#!/usr/bin/env python3
"""Networks read from files keep what the files say: a networkx graph of 10,050 accounts, 50 of
them without a single edge, comes back with 10,050 nodes when `nodes:` says so (a count, or a
file of ids) and with 10,000 without; a communities file makes community audiences work on it
(refused without one); the graph file `rtcascade graph -o` wrote is a network source giving the
same runs as the edge list it was built from; and every mistake is one line with its exit code.

usage: test_file_networks.py RTCASCADE"""
import os
import shutil
import subprocess
import sys
import tempfile

import h5py
import networkx as nx

from rcitest import check, exe_from_argv, finish, run

N, ISOLATED = 10050, 50

CONFIG = """name: files
seed: 5
runs: 300
network: {generator: file, path: edges.txt, direction: flows}
model: {name: independent_cascade, p: 0.15}
audience: {size: 200, pick: random, engagement: 0.05}
"""


def write_inputs(tmp):
    g = nx.gnm_random_graph(N - ISOLATED, 40000, seed=3, directed=True)
    g.add_nodes_from(range(N - ISOLATED, N))  # accounts that follow nobody, followed by nobody
    nx.write_edgelist(g, os.path.join(tmp, "edges.txt"), data=False)
    with open(os.path.join(tmp, "accounts.txt"), "w") as f:
        f.write("# every account, edges or not\n")
        for v in range(N):
            f.write(f"{v}\n")
    with open(os.path.join(tmp, "circles.csv"), "w") as f:
        f.write("account,community\n")
        for v in range(N):
            f.write(f"{v},{v % 5}\n")
    with open(os.path.join(tmp, "files.yaml"), "w") as f:
        f.write(CONFIG)
    return len({v for e in g.edges() for v in e})  # accounts the edges name


def stats(path):
    with h5py.File(path, "r") as f:
        s = f["networks/stats"][()]
        return int(s["nodes"][0]), int(s["isolated"][0]), int(s["communities"][0])


def runs(path):
    """/runs as bytes (NaN time metrics compare equal so)."""
    with h5py.File(path, "r") as f:
        return f["runs"][()].tobytes()


def main():
    exe = exe_from_argv()
    tmp = tempfile.mkdtemp(prefix="rc_filenets_")
    try:
        named = write_inputs(tmp)
        cfg = os.path.join(tmp, "files.yaml")

        def go(out, *sets):
            args = [cfg, "-o", os.path.join(tmp, out), "--quiet"]
            for s in sets:
                args += ["--set", s]
            return run(exe, args, cwd=tmp)

        p = go("plain.h5")
        check(p.returncode == 0, f"plain edge list: {p.stderr}")
        check(stats(os.path.join(tmp, "plain.h5"))[0] == named,
              "without nodes: only the accounts the edges name")
        for name, value in (("count", f"{N}"), ("ids", "accounts.txt")):
            p = go(f"{name}.h5", f"network.nodes={value}")
            check(p.returncode == 0, f"nodes: {value}: {p.stderr}")
            if p.returncode == 0:
                n, isolated, _ = stats(os.path.join(tmp, f"{name}.h5"))
                check(n == N and isolated >= ISOLATED,
                      f"nodes: {value} keeps the isolated accounts: {n} nodes, {isolated} isolated")
        check(runs(os.path.join(tmp, "count.h5")) == runs(os.path.join(tmp, "ids.h5")),
              "a count and the same ids in a file give the same network and runs")

        # communities: a community audience needs them
        p = go("nocomm.h5", "audience.pick=community", "audience.community=3")
        check(p.returncode != 0 and "communit" in p.stderr,
              f"a community audience on a network without communities is refused: {p.stderr}")
        p = go("comm.h5", "network.nodes=accounts.txt", "network.communities=circles.csv",
               "audience.pick=community", "audience.community=3")
        check(p.returncode == 0, f"communities file: {p.stderr}")
        if p.returncode == 0:
            check(stats(os.path.join(tmp, "comm.h5"))[2] == 5, "5 communities attached")

        # the graph file of `rtcascade graph -o` as the network
        gfile = os.path.join(tmp, "graph.h5")
        p = subprocess.run([exe, "graph", cfg, "-o", gfile, "--set", f"network.nodes={N}"],
                           capture_output=True, text=True, cwd=tmp)
        check(p.returncode == 0, f"rtcascade graph -o: {p.stderr}")
        p = go("fromh5.h5", "network={generator: file, path: graph.h5}")
        check(p.returncode == 0, f"a graph file as the network: {p.stderr}")
        if p.returncode == 0:
            check(runs(os.path.join(tmp, "count.h5")) == runs(os.path.join(tmp, "fromh5.h5")),
                  "the graph file gives the runs of the edge list it was built from")
            check(stats(os.path.join(tmp, "fromh5.h5"))[0] == N, "with its isolated accounts")

        # mistakes: one line each, the right exit code, nothing written
        cases = [
            ("network={generator: file, path: graph.h5, direction: flows}", 3,
             "an rtcascade graph file (format: hdf5) has its own"),
            ("network={generator: file, path: graph.h5, format: snap, direction: flows}", 3,
             "is an HDF5 file, not an edge list"),
            ("network={generator: file, path: files.yaml, format: hdf5}", 4, "not an HDF5 file"),
            ("network.nodes=9000", 4, "is not below nodes: 9000"),
            ("network.nodes=missing.txt", 5, "missing.txt: cannot open"),
            ("network.communities=accounts.txt", 4, "expected 2 columns (account community)"),
            ("network.nodes=0", 3, "network.nodes"),
        ]
        for i, (s, code, text) in enumerate(cases):
            out = os.path.join(tmp, f"bad{i}.h5")
            p = go(f"bad{i}.h5", s)
            lines = p.stderr.strip().splitlines()
            check(p.returncode == code and len(lines) == 1 and text in p.stderr,
                  f"--set {s}: exit {p.returncode} (want {code}), {p.stderr.strip()!r}")
            check(not os.path.exists(out), f"--set {s}: no file written")
    finally:
        if not os.environ.get("RC_KEEP_TMP"):
            shutil.rmtree(tmp, ignore_errors=True)
    return finish("test_file_networks")


if __name__ == "__main__":
    sys.exit(main())
