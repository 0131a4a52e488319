"""rtcascade.simulate: Monte Carlo runs of one point on a Graph, in process, as a DataFrame with
the per-run columns of a results file's /runs, and optionally every reshare (the cascade
trees). The model, seeds and audience are dicts with the config's keys, checked by the
library's own config code (rc_point_parse), and the runs are those `rtcascade run` gives the
same point (seed, point index) on the same graph (rc_run_point)."""
import ctypes

import numpy as np
import pandas as pd

from . import _config, _errors, _lib, _worker
from ._graph import Graph

# /runs columns and their types (docs/results-format.md).
RUN_COLUMNS = (("point", np.uint64), ("run", np.uint64), ("size", np.uint32),
               ("retweets", np.uint32), ("reach", np.uint64), ("depth", np.uint32),
               ("max_breadth", np.uint32), ("virality", np.float64),
               ("final_time", np.float64), ("t50", np.float64), ("t90", np.float64),
               ("global", np.uint8), ("capped", np.uint8), ("reach_per_member", np.float64))


def _seeds_map(graph, seeds):
    """The seeds: map: a dict as given, or a node list made {strategy: list, nodes: [...]}
    (labels of a graph whose labels the library does not know are turned into indices)."""
    if seeds is None or isinstance(seeds, dict):
        return seeds
    if isinstance(seeds, (str, bytes)):
        raise TypeError("seeds: expected a dict of the seeds: keys or a list of nodes")
    nodes = list(seeds.tolist() if isinstance(seeds, np.ndarray) else seeds)
    if graph._labels is not None and not graph._g.orig_id:  # labels known to Python only
        try:
            nodes = graph.index_of(nodes).tolist()
        except KeyError as e:
            raise _errors.ConfigError(f"simulate: seeds.nodes: {e.args[0]}") from None
    return {"strategy": "list", "nodes": nodes}


def _point_text(graph, model, seeds, audience, global_fraction, max_size, kernel=None):
    if isinstance(model, str):
        model = {"name": model}
    if not isinstance(model, dict):
        raise TypeError("model: expected a dict of the model: keys ({'name': ..., ...}) or a "
                        "model name")
    point = {"model": model}
    seeds = _seeds_map(graph, seeds)
    if seeds is not None:
        point["seeds"] = seeds
    if audience is not None:
        point["audience"] = audience
    if global_fraction is not None:
        point["global_fraction"] = global_fraction
    if max_size is not None:
        point["max_size"] = max_size
    if kernel is not None:
        point["engine"] = {"kernel": kernel}
    return _config.to_yaml(point)


def _array(ptr, n, dtype):
    """A numpy view of n values at ptr (copied once into the DataFrame, before the free)."""
    if not ptr or n == 0:
        return np.zeros(n, dtype=dtype)
    return np.ctypeslib.as_array(ptr, shape=(n,)).view(dtype)


def _runs_frame(res, first_run):
    n = int(res.runs)
    cols = {"point": np.full(n, res.point, dtype=np.uint64),
            "run": np.arange(first_run, first_run + n, dtype=np.uint64),
            "size": _array(res.size, n, np.uint32),
            "retweets": _array(res.retweets, n, np.uint32),
            "reach": _array(res.reach, n, np.uint64),
            "depth": _array(res.depth, n, np.uint32),
            "max_breadth": _array(res.max_breadth, n, np.uint32),
            "virality": _array(res.virality, n, np.float64)}
    for k in ("final_time", "t50", "t90"):
        cols[k] = _array(getattr(res, k), n, np.float64) if res.timed else np.full(n, np.nan)
    cols["global"] = _array(res.global_, n, np.uint8)
    cols["capped"] = _array(res.capped, n, np.uint8)
    if res.audience:
        cols["reach_per_member"] = cols["reach"].astype(np.float64) / float(res.audience)
    else:
        cols["reach_per_member"] = np.full(n, np.nan)
    return pd.DataFrame(cols, copy=True)  # the library's arrays are freed next


def _events_frame(graph, ev):
    n = int(ev.count)
    runs = int(ev.runs)
    offset = _array(ev.offset, runs + 1, np.uint64).astype(np.int64)
    node = _array(ev.node, n, np.uint32).astype(np.int64)
    parent_i = _array(ev.parent, n, np.uint32)
    gen = _array(ev.generation, n, np.uint32).copy()
    run = np.repeat(np.arange(ev.first_run, ev.first_run + runs, dtype=np.uint64),
                    np.diff(offset))
    seed = parent_i == 0xFFFFFFFF
    start = np.repeat(offset[:-1], np.diff(offset))
    parent_node = node[np.where(seed, start, start + parent_i.astype(np.int64))]  # seeds: any
    labels = graph.labels
    if labels is None or labels.dtype != object:
        ids = node if labels is None else np.asarray(labels)[node]
        pid = parent_node if labels is None else np.asarray(labels)[parent_node]
        kind = "Int64" if labels is None else "UInt64"
        parent = pd.array(pid, dtype=kind)
        parent[seed] = pd.NA
        df = pd.DataFrame({"run": run, "node": ids, "parent": parent, "generation": gen})
    else:
        ids = labels[node]
        pid = labels[parent_node].copy()
        pid[seed] = None
        df = pd.DataFrame({"run": run, "node": ids, "parent": pid, "generation": gen})
    if ev.timed:
        df["time"] = _array(ev.time, n, np.float64).copy()
    if ev.mark:
        df["mark"] = _array(ev.mark, n, np.float64).copy()
    return df


def simulate(graph, model, seeds=None, audience=None, runs=1000, seed=0, threads=None,
             events=False, point=0, global_fraction=None, max_size=None, kernel=None):
    """Runs `runs` Monte Carlo cascades of `model` on `graph` and returns one row per run with
    the columns of a results file's /runs (point, run, size, retweets, reach, depth,
    max_breadth, virality, final_time, t50, t90, global, capped, reach_per_member; same
    types).

    model: a dict of the config's `model:` keys ({"name": "independent_cascade", "p": 0.05})
      or a model name (its defaults). seeds: a dict of the `seeds:` keys ({"strategy":
      "top_followers", "count": 10}) or a list of nodes (labels when the graph has them);
      default one random seed per run. audience: a dict of the `audience:` keys, instead of
      seeds. global_fraction, max_size: as the config's keys (defaults 0.05 and no cap).
    kernel: engine.kernel, "auto" (default), "per_run" or "fused"; the DataFrame's
      attrs["kernel"] says which one ran, and after fused runs attrs["fused_runs_per_read"]
      how many runs one read of a node's followers served (fused pays from about 6).
    runs, seed: runs and master seed; run r of point `point` draws from the stream (seed,
      point, r), so the rows equal those `rtcascade run` writes for that point of an
      experiment with that seed on the same graph. threads: OpenMP threads (default: all);
      results do not depend on it.
    events: also return a second DataFrame with every reshare of every run, in adoption order
      within each run: run, node (its label when the graph has labels), parent (the node it
      reshared from; missing for seeds and an audience's first hop), generation (0 = seeds;
      with an audience the first hop is 1, so a run's largest generation is its depth) and,
      for timed models, time.

    Errors: ConfigError with the config's message for a bad model, seeds or audience (a key
    path and what was expected); ArgumentError for bad arguments. Ctrl-C stops between runs
    and raises Interrupted (a KeyboardInterrupt). The GIL is released while the engine runs.
    Returns the DataFrame, or (runs, events) with events=True."""
    if not isinstance(graph, Graph):
        raise TypeError(f"graph: expected an rtcascade.Graph, got {type(graph).__name__} (see "
                        "Graph.from_networkx, Graph.from_edges)")
    runs, seed, point = int(runs), int(seed), int(point)
    if runs < 1:
        raise _errors.ConfigError(f"runs: expected an integer >= 1, got {runs}")
    if seed < 0 or point < 0:
        raise _errors.ArgumentError("seed and point: expected integers >= 0")
    if threads is not None and int(threads) < 0:
        raise _errors.ArgumentError(f"threads: expected a number >= 0, got {threads}")
    text = _point_text(graph, model, seeds, audience, global_fraction, max_size,
                       kernel).encode()
    lib = _lib.lib()

    def work(flag):
        root, pt, res, ev = ctypes.c_void_p(), ctypes.c_void_p(), ctypes.c_void_p(), None
        try:
            _lib.check(lib.rc_cfg_parse_string(text, b"simulate", ctypes.byref(root)))
            _lib.check(lib.rc_point_parse(root, point, ctypes.byref(pt)))
            opt = lib.rc_run_default_options()
            opt.threads = int(threads or 0)
            hooks = _lib.RunHooks(ctx=ctypes.addressof(flag), cancel=_lib.cancel_hook())
            rec_p = None
            if events:
                ev = ctypes.c_void_p()
                _lib.check(lib.rc_events_new(0, runs, ctypes.byref(ev)))
                rec = lib.rc_events_recorder(ev)
                rec_p = ctypes.byref(rec)
            _lib.check(lib.rc_run_point(pt, graph._ptr, runs, seed, ctypes.byref(opt),
                                        ctypes.byref(hooks), rec_p, ctypes.byref(res)))
            mc = ctypes.cast(res, ctypes.POINTER(_lib.McResults)).contents
            df = _runs_frame(mc, 0)
            df.attrs["kernel"] = "fused" if mc.kernel == 2 else "per_run"
            if mc.kernel == 2 and mc.fused_visits > 0:
                df.attrs["fused_runs_per_read"] = mc.total_adoptions / mc.fused_visits
            if not events:
                return df
            _lib.check(lib.rc_events_finish(ev))
            return df, _events_frame(graph, ctypes.cast(ev, ctypes.POINTER(_lib.Events)).contents)
        finally:
            lib.rc_mc_results_free(res)
            if ev is not None:
                lib.rc_events_free(ev)
            lib.rc_point_free(pt)
            lib.rc_cfg_free(root)

    return _worker.call(work)
