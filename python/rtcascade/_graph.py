"""rtcascade.Graph: a follower graph held by the library (CSR in both directions), made from
numpy arrays, a networkx graph, a file (edge list or the project's graph HDF5 file) or a
generator of the config's `network:` section, and handed to simulate() without a copy.

Edges point the way information flows: u -> v means v follows u, so v sees what u posts
(out-degree = followers, in-degree = followees)."""
import ctypes
import os

import numpy as np

from . import _config, _errors, _lib

_HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"
_DIRECTIONS = {"flows": 0, "follows": 1}
_FORMATS = {"auto": 0, "snap": 1, "csv": 2}


def _view(ptr, n, ctype, dtype, owner):
    """A read-only numpy view of n items at a C pointer, keeping `owner` (the Graph) alive."""
    addr = ctypes.cast(ptr, ctypes.c_void_p).value if ptr else None
    if not addr or n == 0:
        return np.zeros(0, dtype=dtype)
    carr = (ctype * n).from_address(addr)
    carr._owner = owner
    a = np.frombuffer(carr, dtype=dtype)
    a.flags.writeable = False
    return a


def _ids(values, what, n=None):
    """values as a C-contiguous uint32 array (no copy when it already is one), refusing
    negative or too large ids."""
    a = np.asarray(values)
    if a.ndim != 1:
        raise _errors.ArgumentError(f"{what}: expected a 1-D array of node indices")
    if a.size and not np.issubdtype(a.dtype, np.integer):
        if not (np.issubdtype(a.dtype, np.floating) and np.all(np.mod(a, 1) == 0)):
            raise _errors.ArgumentError(f"{what}: expected integer node indices, got {a.dtype}")
    if a.dtype == np.uint32 and a.flags.c_contiguous:
        return a
    if a.size and (a.min() < 0 or a.max() > 0xFFFFFFFE):
        bad = a.min() if a.min() < 0 else a.max()
        raise _errors.ArgumentError(f"{what}: node index {bad} is outside 0..4294967294")
    return np.ascontiguousarray(a, dtype=np.uint32)


def _ptr(a):
    return None if a is None else a.ctypes.data_as(ctypes.c_void_p)


class Graph:
    """A follower graph in the library. Make one with Graph.from_edges, from_networkx, load or
    generate; it is freed with the object. Node indices run 0..num_nodes-1; `labels` holds the
    original ids (a file's account ids, a networkx graph's node labels) when there are any."""

    def __init__(self, ptr, labels=None, community_names=None):
        # private: wrap an rc_graph_t* (owned from here on)
        self._ptr = ctypes.c_void_p(ptr)
        self._lib = _lib.lib()
        self._g = ctypes.cast(self._ptr, ctypes.POINTER(_lib.Graph)).contents
        self._labels = labels
        self._index = None
        self.community_names = community_names

    def __del__(self):
        ptr, self._ptr = getattr(self, "_ptr", None), None
        if ptr and ptr.value:
            self._lib.rc_graph_free(ptr)

    # ---- making one ----

    @classmethod
    def from_edges(cls, src, dst, num_nodes=None, weights=None, communities=None, labels=None,
                   undirected=False, description=None):
        """A graph from edge arrays: edge i is src[i] -> dst[i] (dst follows src), over node
        indices 0..num_nodes-1. num_nodes (default: largest index + 1, or len(labels)) keeps
        isolated nodes. weights: one float per edge (>= 0; e.g. per-edge reshare
        probabilities). communities: one int >= 0 per node. labels: one original id per node
        (distinct; integers >= 0 are also known to the library, so seed lists name them).
        undirected: add every edge both ways. Self-loops and repeated edges are dropped (a
        repeat keeps its first weight). uint32 arrays are passed without a copy; the library
        copies what it keeps. Raises ArgumentError naming the first bad entry."""
        s, d = _ids(src, "src"), _ids(dst, "dst")
        if len(s) != len(d):
            raise _errors.ArgumentError(f"src and dst differ in length ({len(s)} and {len(d)})")
        if num_nodes is None:
            num_nodes = len(labels) if labels is not None else (
                int(max(s.max(), d.max())) + 1 if len(s) else 0)
        num_nodes = int(num_nodes)
        if labels is not None and len(labels) != num_nodes:
            raise _errors.ArgumentError(f"labels: {len(labels)} labels for {num_nodes} nodes")
        w = None
        if weights is not None:
            w = np.ascontiguousarray(weights, dtype=np.float32)
            if w.shape != s.shape:
                raise _errors.ArgumentError(f"weights: {len(w)} weights for {len(s)} edges")
        comm = None
        if communities is not None:
            c = np.asarray(communities)
            if c.shape != (num_nodes,) or (c.size and (not np.issubdtype(c.dtype, np.integer)
                                                       or c.min() < 0)):
                raise _errors.ArgumentError(
                    f"communities: expected {num_nodes} integers >= 0, one per node")
            comm = np.ascontiguousarray(c, dtype=np.uint32)
        label_arr, orig = _labels_array(labels)
        if not 1 <= num_nodes <= 0xFFFFFFFE:
            raise _errors.ArgumentError(f"num_nodes: expected 1 to 4294967294 nodes, got "
                                        f"{num_nodes}")
        arrays = _lib.GraphArrays(
            n=num_nodes, m=len(s), src=_ptr(s), dst=_ptr(d), weight=_ptr(w),
            community=_ptr(comm), orig_id=_ptr(orig), undirected=int(bool(undirected)),
            description=description.encode() if description else None)
        out = ctypes.c_void_p()
        lib = _lib.lib()
        _lib.check(lib.rc_graph_from_arrays(ctypes.byref(arrays), ctypes.byref(out), None))
        return cls(out.value, labels=label_arr)

    @classmethod
    def from_networkx(cls, G, weight=None, community=None):
        """A graph from a networkx graph: every node (isolated ones too), in G's node order,
        with its label kept as its original id (graph.labels); a directed graph's edge u -> v
        means v follows u; an undirected graph becomes edges both ways. weight: the name of
        an edge attribute to use as edge weights (every edge must have it). community: the
        name of a node attribute naming each node's community (integers >= 0 are used as
        they are; other values are numbered in order of first appearance, and
        graph.community_names lists them)."""
        nodes = list(G.nodes())
        if not nodes:
            raise _errors.ArgumentError("the networkx graph has no nodes")
        index = {v: i for i, v in enumerate(nodes)}
        m = G.number_of_edges()
        src = np.empty(m, dtype=np.uint32)
        dst = np.empty(m, dtype=np.uint32)
        w = np.empty(m, dtype=np.float32) if weight is not None else None
        for i, (u, v, data) in enumerate(G.edges(data=True)):
            src[i], dst[i] = index[u], index[v]
            if w is not None:
                if weight not in data:
                    raise _errors.ArgumentError(f"edge ({u!r}, {v!r}) has no attribute "
                                                f"'{weight}' (weight={weight!r})")
                w[i] = data[weight]
        comm, names = None, None
        if community is not None:
            comm, names = _communities(G, nodes, community)
        g = cls.from_edges(src, dst, num_nodes=len(nodes), weights=w, communities=comm,
                           labels=nodes, undirected=not G.is_directed(),
                           description=f"networkx {type(G).__name__} nodes={len(nodes)} "
                                       f"edges={m}")
        g.community_names = names
        return g

    @classmethod
    def load(cls, path, direction=None, format="auto", weighted=False, undirected=False,
             nodes=None, communities=None):
        """A graph from a file: the project's graph HDF5 file (`rtcascade graph -o`, a network
        cache; recognised by its content) or an edge list (plain or gzip; `snap` whitespace or
        `csv`), as the config's `generator: file` reads it. direction is required for an edge
        list: 'flows' (a line "a b" means b follows a) or 'follows' (a follows b, as in SNAP's
        ego-Twitter). Account ids become graph.labels. nodes: a count n (the accounts are the
        ids 0 .. n-1, isolated ones kept) or the path of a file of account ids (those are the
        accounts, in that order); communities: the path of a file of "id community" lines."""
        path = os.fspath(path)
        try:
            with open(path, "rb") as f:
                head = f.read(8)
        except OSError as e:
            raise _errors.FileError(f"{path}: cannot read: {e.strerror}") from None
        lib = _lib.lib()
        out = ctypes.c_void_p()
        if head == _HDF5_MAGIC:
            _lib.check(lib.rc_graph_load_h5(path.encode(), None, ctypes.byref(out)))
        else:
            if direction not in _DIRECTIONS:
                raise _errors.ConfigError(
                    f"{path}: direction: expected 'flows' (a line 'a b' means b follows a) or "
                    f"'follows' (a follows b), got {direction!r}")
            if format not in _FORMATS:
                raise _errors.ConfigError(f"format: expected one of {', '.join(_FORMATS)}, got "
                                          f"{format!r}")
            count, ids = 0, None
            if isinstance(nodes, (int, np.integer)) and not isinstance(nodes, bool):
                if nodes < 1:
                    raise _errors.ConfigError(f"nodes: expected a count >= 1, got {nodes}")
                count = int(nodes)
            elif nodes is not None:
                ids = os.fspath(nodes).encode()
            comm = os.fspath(communities).encode() if communities is not None else None
            opt = _lib.LoadOptions(_DIRECTIONS[direction], _FORMATS[format], int(bool(weighted)),
                                   int(bool(undirected)), count, ids, comm)
            _lib.check(lib.rc_graph_load_edgelist(path.encode(), ctypes.byref(opt),
                                                  ctypes.byref(out), None))
        return cls(out.value)

    @classmethod
    def generate(cls, spec, seed=None):
        """A graph of a `network:` spec (a dict with the config's keys: {"generator":
        "chung_lu", "nodes": 10000, "mean_degree": 8}, every generator of
        docs/configuration.md, `file` included), checked by the config's own code. seed: the
        generator's seed (default 42, the config's); give it here or as spec["seed"], not
        both."""
        if not isinstance(spec, dict):
            raise TypeError("spec: expected a dict of the network: keys")
        if seed is not None and "seed" in spec:
            raise _errors.ConfigError("seed given twice: as spec['seed'] and as seed=")
        lib = _lib.lib()
        text = _config.to_yaml({"network": spec}).encode()
        root, out = ctypes.c_void_p(), ctypes.c_void_p()
        try:
            _lib.check(lib.rc_cfg_parse_string(text, b"network", ctypes.byref(root)))
            node = lib.rc_cfg_get(root, b"network")
            _lib.check(lib.rc_network_build(node, 42 if seed is None else int(seed), None,
                                            ctypes.byref(out)))
        finally:
            lib.rc_cfg_free(root)
        return cls(out.value)

    # ---- what it holds ----

    @property
    def num_nodes(self):
        return int(self._g.n)

    @property
    def num_edges(self):
        """Directed edges (an undirected graph counts each link twice)."""
        return int(self._g.m)

    @property
    def undirected(self):
        return bool(self._g.undirected)

    @property
    def description(self):
        d = self._g.description
        return d.decode("utf-8", "replace") if d else ""

    @property
    def out_offsets(self):
        """CSR offsets: followers of u are out_neighbors[out_offsets[u]:out_offsets[u+1]]
        (read-only views of the library's arrays)."""
        return _view(self._g.out_off, self.num_nodes + 1, ctypes.c_uint64, np.uint64, self)

    @property
    def out_neighbors(self):
        return _view(self._g.out_nbr, self.num_edges, ctypes.c_uint32, np.uint32, self)

    @property
    def in_offsets(self):
        return _view(self._g.in_off, self.num_nodes + 1, ctypes.c_uint64, np.uint64, self)

    @property
    def in_neighbors(self):
        return _view(self._g.in_nbr, self.num_edges, ctypes.c_uint32, np.uint32, self)

    @property
    def weights(self):
        """Edge weights aligned with out_neighbors, or None."""
        if not self._g.out_w:
            return None
        return _view(self._g.out_w, self.num_edges, ctypes.c_float, np.float32, self)

    @property
    def out_degree(self):
        """Followers of each node (a new array)."""
        return np.diff(self.out_offsets).astype(np.int64)

    @property
    def in_degree(self):
        """Followees of each node (a new array)."""
        return np.diff(self.in_offsets).astype(np.int64)

    @property
    def communities(self):
        """Community of each node, or None."""
        if not self._g.community:
            return None
        return _view(self._g.community, self.num_nodes, ctypes.c_uint32, np.uint32, self)

    @property
    def num_communities(self):
        return int(self._g.n_communities)

    @property
    def labels(self):
        """Original id of each node (a numpy array), or None when nodes have only indices."""
        if self._labels is not None:
            return self._labels
        if self._g.orig_id:
            return _view(self._g.orig_id, self.num_nodes, ctypes.c_uint64, np.uint64, self)
        return None

    def edges(self):
        """(src, dst): every directed edge as two new arrays, sorted by source."""
        off = self.out_offsets
        counts = np.diff(off).astype(np.int64)
        return (np.repeat(np.arange(self.num_nodes, dtype=np.uint32), counts),
                self.out_neighbors.copy())

    def index_of(self, labels):
        """Node indices of original ids (a list or array); KeyError naming one that is not a
        node. Without labels, indices are their own ids."""
        lab = self.labels
        if lab is None:
            idx = np.asarray(labels, dtype=np.int64)
            bad = idx[(idx < 0) | (idx >= self.num_nodes)]
            if len(bad):
                raise KeyError(f"node {bad[0]} is not in the graph (nodes 0..{self.num_nodes - 1})")
            return idx
        if self._index is None:
            self._index = {v: i for i, v in enumerate(lab.tolist())}
        out = []
        for v in labels:
            v = v.item() if isinstance(v, np.generic) else v
            if v not in self._index:
                raise KeyError(f"no node labelled {v!r} in the graph")
            out.append(self._index[v])
        return np.asarray(out, dtype=np.int64)

    def label_of(self, indices):
        """Original ids of node indices (the indices themselves without labels)."""
        idx = np.asarray(indices, dtype=np.int64)
        lab = self.labels
        return idx if lab is None else np.asarray(lab)[idx]

    def stats(self, threads=None):
        """Statistics as `rtcascade graph` prints them: nodes, edges, mean degree, largest
        degrees, isolated nodes, reciprocity, transitivity (exact, or sampled with its standard
        error on large graphs), power-law tail fits, communities (a dict). A graph read from a
        graph file that keeps its statistics returns those, without computing them again."""
        st = _lib.GraphStats()
        lib = _lib.lib()
        _lib.check(lib.rc_run_graph_stats(self._ptr, int(threads or 0), ctypes.byref(st)))
        return {name: getattr(st, name) for name, _ in _lib.GraphStats._fields_}

    def save(self, path):
        """Writes the graph as a graph HDF5 file (docs/results-format.md), which Graph.load and
        a config's network can read back, with its statistics (computed now unless they were
        read with the graph). Labels that are not integers are not saved."""
        _lib.check(self._lib.rc_graph_save_h5(self._ptr, os.fspath(path).encode(), None))

    def to_scipy(self):
        """The follower adjacency as a scipy.sparse.csr_matrix (row u, column v for u -> v),
        with the weights as values (1.0 without weights); a copy."""
        import scipy.sparse
        w = self.weights
        data = np.ones(self.num_edges, dtype=np.float32) if w is None else w.copy()
        return scipy.sparse.csr_matrix(
            (data, self.out_neighbors.astype(np.int64), self.out_offsets.astype(np.int64)),
            shape=(self.num_nodes, self.num_nodes))

    def to_networkx(self, max_nodes=1_000_000):
        """A networkx DiGraph (Graph when built undirected) with the labels as node names and
        `community` / `weight` attributes where the graph has them. For small graphs: refused
        above max_nodes."""
        import networkx as nx
        if self.num_nodes > max_nodes:
            raise _errors.ArgumentError(f"{self.num_nodes} nodes is more than max_nodes="
                                        f"{max_nodes} (networkx needs ~1 kB per node and edge)")
        G = nx.Graph() if self.undirected else nx.DiGraph()
        names = self.labels.tolist() if self.labels is not None else range(self.num_nodes)
        names = list(names)
        comm = self.communities
        if comm is not None:
            cn = self.community_names
            G.add_nodes_from((names[i], {"community": cn[c] if cn else int(c)})
                             for i, c in enumerate(comm.tolist()))
        else:
            G.add_nodes_from(names)
        src, dst = self.edges()
        w = self.weights
        pairs = zip(src.tolist(), dst.tolist())
        if w is None:
            G.add_edges_from((names[u], names[v]) for u, v in pairs)
        else:
            G.add_edges_from((names[u], names[v], {"weight": float(x)})
                             for (u, v), x in zip(pairs, w.tolist()))
        return G

    def __repr__(self):
        extra = []
        if self.labels is not None:
            extra.append("labels")
        if self.num_communities:
            extra.append(f"{self.num_communities} communities")
        if self._g.out_w:
            extra.append("weights")
        return (f"<rtcascade.Graph {self.num_nodes:,} nodes, {self.num_edges:,} edges"
                f"{', ' if extra else ''}{', '.join(extra)}: {self.description}>")


def _labels_array(labels):
    """(labels as a numpy array, uint64 original ids for the library or None)."""
    if labels is None:
        return None, None
    as_list = list(labels)
    if as_list and all(isinstance(v, (int, np.integer)) and not isinstance(v, bool)
                       for v in as_list):
        if min(as_list) >= 0 and max(as_list) < 2 ** 64:
            arr = np.asarray(as_list, dtype=np.uint64)
            if len(np.unique(arr)) != len(arr):
                raise _errors.ArgumentError("labels: a label names two nodes")
            return arr, arr
    arr = np.empty(len(as_list), dtype=object)
    arr[:] = as_list
    if len(set(as_list)) != len(as_list):
        raise _errors.ArgumentError("labels: a label names two nodes")
    return arr, None


def _communities(G, nodes, attr):
    """(uint32 community per node, names or None) from a node attribute."""
    vals = []
    for v in nodes:
        data = G.nodes[v]
        if attr not in data:
            raise _errors.ArgumentError(f"node {v!r} has no attribute '{attr}' "
                                        f"(community={attr!r})")
        vals.append(data[attr])
    if all(isinstance(c, (int, np.integer)) and not isinstance(c, bool) and c >= 0
           for c in vals):
        return np.asarray(vals, dtype=np.uint32), None
    names = list(dict.fromkeys(vals))
    code = {c: i for i, c in enumerate(names)}
    return np.asarray([code[c] for c in vals], dtype=np.uint32), names
