"""Results files (docs/results-format.md) as pandas: rtcascade.load(path) -> Results.

    r = rtcascade.load("results/handpicked_vs_broadcast.h5")
    r.points            # one row per point: scenario, swept keys, status, and its /summary columns
    r.runs              # one row per run (all points; read on first use and kept)
    r.point_runs(3)     # the runs of point 3 only, read without the other rows
    r.curves(3)         # {"generations": df, "size_ccdf": df, "time": df, "growth": df} of point 3
    r.events(3)         # every adoption of point 3's runs (files whose config asked for events:)
    r.networks          # one row per network; r.degree_hist(0, "out") its follower counts
    r.attrs, r.config   # provenance; the config as given, as a dict
    r.to_xarray()       # the summary as an xarray.Dataset over scenario x swept keys

Strings come back as str (format 2 stores them fixed-length, which h5py returns as bytes;
format 1 files, with some variable-length strings, load too). A swept key whose values are maps (a whole `delay:` kernel) keeps
its text column and gains one column per leaf (`model.delay.distribution`, `model.delay.mu`,
...), typed. A partial file (an interrupted run) loads too: pending points have status 0 and
NaN summary columns. Needs h5py, not the library."""
import zlib

import h5py
import numpy as np
import pandas as pd

FORMAT = "rtcascade-results"
FORMAT_VERSION = 2
CURVES = ("generations", "size_ccdf", "time", "growth")
# Columns of the datasets added within format 2, for files that lack them (format 1, an earlier
# format 2, or no events: asked).
_NEW_COLUMNS = {"growth": ("point", "t", "n_mean", "n_sd", "n_low", "n_high"),
                "events": ("point", "run", "node", "parent", "generation", "time", "mark")}
NO_PARENT = 2**64 - 1  # /events parent of a seed (or of an audience's first-hop reshare)


def _text(v):
    return v.decode("utf-8", "replace") if isinstance(v, bytes) else v


def checked(dset, rows=None):
    """dset, once its stored data for `rows` (a slice; None: all) is known to fill what its
    extent and chunks need; else InputError "FILE: cannot read /NAME (file damaged?)". HDF5 1.10
    copies a whole chunk out of whatever its index points at, so a damaged index pointing at
    another, smaller chunk (with a right checksum) reads past a buffer: garbage, or a crash.
    The library checks the same before it reads (sim/io/h5util.c: rc_h5_storage_damaged)."""
    try:
        dcpl = dset.id.get_create_plist()
        layout, elem = dcpl.get_layout(), dset.dtype.itemsize
        if layout == h5py.h5d.COMPACT:
            ok = dset.id.get_storage_size() >= dset.size * elem
        elif layout == h5py.h5d.CHUNKED:
            ok = _chunks_fit(dset, dcpl, elem * int(np.prod(dset.chunks)), rows)
        else:
            ok = True
    except (OSError, RuntimeError, ValueError, KeyError, zlib.error):
        ok = False
    if not ok:
        from ._errors import InputError
        raise InputError(f"{dset.file.filename}: cannot read {dset.name} (file damaged?)")
    return dset


def _chunks_fit(dset, dcpl, nbytes, rows):
    """The stored size of every chunk that `rows` of a 1-D dset touch (all when None) against
    what its filters give (shuffle, deflate and Fletcher-32 are the ones rtcascade writes; any
    other is damage); deflated ones are inflated to see."""
    filters = [dcpl.get_filter(i)[0] for i in range(dcpl.get_nfilters())]
    if any(f not in (h5py.h5z.FILTER_SHUFFLE, h5py.h5z.FILTER_DEFLATE,
                     h5py.h5z.FILTER_FLETCHER32) for f in filters):
        return False
    if dset.ndim != 1:  # every chunked dataset rtcascade writes is 1-D
        return False
    # by coordinate, as a read looks chunks up (get_chunk_info walks the index from its start)
    lo, hi, _ = (rows or slice(None)).indices(dset.shape[0])
    offsets = [(c,) for c in range(lo - lo % dset.chunks[0], hi, dset.chunks[0])]
    for offset in offsets:
        try:
            mask, raw = dset.id.read_direct_chunk(offset)
        except RuntimeError:  # never written (read as fill values), or a read fails the same
            continue
        # the filters in the order they were applied (those the chunk skipped left out): a
        # checksum adds 4 bytes, inside the deflated stream when it came first (files written
        # before 2026-11-30) or after it (since); shuffle keeps the size
        inside = outside = deflated = 0
        for i, f in enumerate(filters):
            if mask >> i & 1:
                continue
            if f == h5py.h5z.FILTER_DEFLATE:
                deflated += 1
            elif f == h5py.h5z.FILTER_FLETCHER32:
                outside, inside = (outside + 4, inside) if deflated else (outside, inside + 4)
            elif deflated:
                return False  # a shuffle of deflated bytes: never written
        if deflated > 1:
            return False
        if not deflated:
            if len(raw) != nbytes + inside:
                return False
            continue
        if len(raw) < outside:
            return False
        z = zlib.decompressobj()
        out = z.decompress(raw[:len(raw) - outside], nbytes + inside + 1)
        if len(out) != nbytes + inside or not z.eof:
            return False
    return True


def table(dset, rows=None):
    """A compound dataset (or the rows slice of it) as a DataFrame, byte strings as str."""
    checked(dset, rows)
    data = dset[()] if rows is None else dset[rows]
    df = pd.DataFrame(data) if len(data) else pd.DataFrame(np.zeros(0, dtype=data.dtype))
    for name in df.columns:
        if data.dtype[name].kind in "SO":
            df[name] = [_text(v) for v in df[name]]
    return df


def _attr(v):
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    if isinstance(v, np.ndarray):
        return [_attr(x) for x in v.tolist()]
    if isinstance(v, np.generic):
        return v.item()
    return v


def _yaml_map(text):
    """The dict a swept value's YAML text holds, or None (not a map, or no PyYAML)."""
    if not isinstance(text, str) or ":" not in text:
        return None
    try:
        import yaml
        v = yaml.safe_load(text)
    except Exception:
        return None
    return v if isinstance(v, dict) else None


def _leaves(d, prefix):
    for k, v in d.items():
        if isinstance(v, dict):
            yield from _leaves(v, f"{prefix}.{k}")
        else:
            yield f"{prefix}.{k}", v


def flatten_maps(df, keys):
    """Adds a column per leaf of the swept keys whose values are maps, beside their text: a
    column of numbers when every value is one, else of str (missing leaves are NaN / None)."""
    for key in keys:
        col = key if key in df.columns else f"swept:{key}"
        if col not in df.columns or df[col].dtype != object:
            continue
        maps = [_yaml_map(v) for v in df[col]]
        if not any(m is not None for m in maps):
            continue
        leaves = {}
        for i, m in enumerate(maps):
            for name, v in _leaves(m or {}, key):
                leaves.setdefault(name, [None] * len(maps))[i] = v
        for name, vals in leaves.items():
            if name in df.columns:
                continue
            present = [v for v in vals if v is not None]
            if present and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                               for v in present):
                df[name] = np.array([np.nan if v is None else float(v) for v in vals])
            else:
                df[name] = [None if v is None else str(v) for v in vals]
    return df


class Results:
    """An rtcascade results file; tables are read when first used and kept."""

    def __init__(self, path):
        self.path = str(path)
        with h5py.File(self.path, "r") as f:
            if _attr(f.attrs.get("format", "")) != FORMAT:
                raise ValueError(f"{self.path}: not an rtcascade results file")
            self.attrs = {k: _attr(v) for k, v in f.attrs.items()}
            if self.attrs.get("format_version", 0) > FORMAT_VERSION:
                raise ValueError(f"{self.path}: format version {self.attrs['format_version']} "
                                 f"is newer than this reader ({FORMAT_VERSION})")
            self._points = flatten_maps(table(f["points"]), self.swept_keys)
            self.summary = flatten_maps(table(f["summary"]), self.swept_keys)
            self.networks = table(f["networks/stats"])
        self._runs = None
        self._curves = {}
        self._joined = None

    # -- experiment facts --
    @property
    def name(self):
        return self.attrs.get("name", "")

    @property
    def swept_keys(self):
        return list(self.attrs.get("swept_keys", []))

    @property
    def scenarios(self):
        return list(self.attrs.get("scenarios", []))

    @property
    def complete(self):
        return bool(len(self._points)) and bool((self._points["status"] == 1).all())

    @property
    def config(self):
        """The config as given (the `config` attribute) as a dict (needs PyYAML), else its
        text."""
        text = self.attrs.get("config", "")
        try:
            import yaml
            return yaml.safe_load(text)
        except Exception:
            return text

    # -- tables --
    @property
    def points(self):
        """/points joined with /summary (left join on point: pending points have NaNs)."""
        if self._joined is None:
            dup = [c for c in self.summary.columns if c in self._points.columns and c != "point"]
            self._joined = self._points.merge(self.summary.drop(columns=dup), on="point",
                                              how="left")
        return self._joined

    @property
    def run_columns(self):
        """The columns of /runs (read from its type, not its rows)."""
        if self._runs is not None:
            return list(self._runs.columns)
        with h5py.File(self.path, "r") as f:
            return list(f["runs"].dtype.names)

    @property
    def runs(self):
        """Every run of every finished point (read whole on first use)."""
        if self._runs is None:
            with h5py.File(self.path, "r") as f:
                self._runs = table(f["runs"])
        return self._runs

    def point_runs(self, point):
        """The runs of one point (or a list of points), read without the other rows: /runs
        holds each finished point's runs as one block, in /summary's order. Empty for a point
        that is not finished."""
        if isinstance(point, (list, tuple, np.ndarray, pd.Series)):
            parts = [self.point_runs(p) for p in point]
            return pd.concat(parts, ignore_index=True) if parts else self.point_runs(-1)
        point = int(point)
        if self._runs is not None:
            return self._runs[self._runs["point"] == point].reset_index(drop=True)
        order = self.summary["point"].to_numpy()
        per = int(self.attrs.get("runs_per_point", 0))
        with h5py.File(self.path, "r") as f:
            d = f["runs"]
            hit = np.flatnonzero(order == point)
            if len(hit) and per:
                lo = int(hit[0]) * per
                df = table(d, slice(lo, lo + per))
                if len(df) == per and (df["point"] == point).all():
                    return df
            # not laid out as expected (or not finished): find its rows by the point column
            rows = np.flatnonzero(checked(d).fields("point")[()] == point)
            if not len(rows):
                return table(d, slice(0, 0))
            return table(d, slice(int(rows[0]), int(rows[-1]) + 1)).query(
                "point == @point").reset_index(drop=True)

    def curves(self, point=None, kind=None):
        """Curves of one point (or all when point is None): a dict of DataFrames by kind
        (generations, size_ccdf, time, growth), or one DataFrame when kind is given. growth is
        empty in files of format 1 and for untimed models."""
        kinds = CURVES if kind is None else (kind,)
        out = {}
        for k in kinds:
            if k not in CURVES:
                raise KeyError(f"no curve '{k}' (curves: {', '.join(CURVES)})")
            if k not in self._curves:
                with h5py.File(self.path, "r") as f:
                    self._curves[k] = (table(f["curves"][k]) if k in f["curves"] else
                                       pd.DataFrame({c: [] for c in _NEW_COLUMNS[k]}))
            df = self._curves[k]
            out[k] = df if point is None else df[df["point"] == point].reset_index(drop=True)
        return out[kind] if kind is not None else out

    @property
    def has_events(self):
        """Whether the file has /events (some point's config asked for them)."""
        with h5py.File(self.path, "r") as f:
            return "events" in f

    def events(self, point=None):
        """Every adoption of the runs of one point (or of every point when None) whose config
        asked for events (`events:`): run, node (the id in the network's file, else the index),
        parent (the node it came from; <NA> for seeds and for an audience's first-hop
        reshares), generation, time (NaN for untimed models), mark (the hawkes model's follower
        count, else NaN). Empty when the file has no /events."""
        with h5py.File(self.path, "r") as f:
            if "events" not in f:
                return pd.DataFrame({c: [] for c in _NEW_COLUMNS["events"]})
            d = f["events"]
            if point is None:
                df = table(d)
            else:
                pts = checked(d).fields("point")[()]
                rows = np.flatnonzero(pts == int(point))
                df = (table(d, slice(int(rows[0]), int(rows[-1]) + 1)) if len(rows)
                      else table(d, slice(0, 0)))
        parent = pd.array(df["parent"].to_numpy(), dtype="UInt64")
        parent[df["parent"].to_numpy() == np.uint64(NO_PARENT)] = pd.NA
        df["parent"] = parent
        return df.reset_index(drop=True)

    def degree_hist(self, network=0, direction="out"):
        """Nodes per degree of a network: index = degree (followers for "out", followees for
        "in")."""
        if direction not in ("out", "in"):
            raise ValueError("direction is 'out' or 'in'")
        with h5py.File(self.path, "r") as f:
            h = checked(f[f"networks/{int(network)}/{direction}_degree_hist"])[()]
        return pd.Series(h, name=f"{direction}_degree_nodes").rename_axis("degree")

    def to_xarray(self):
        """The finished points' summary as an xarray.Dataset: dimensions scenario and the swept
        keys when the points form a grid (cells not run are NaN), else one dimension `point`
        with the scenario and swept values as coordinates. Needs xarray."""
        import xarray as xr
        pts = self.points[self.points["status"] == 1]
        keys = [c for c in (k if k in pts.columns else f"swept:{k}" for k in self.swept_keys)
                if c in pts.columns]
        dims = ["scenario"] + keys
        values = [c for c in pts.columns if c not in dims and c != "point"
                  and pts[c].dtype != object]
        sizes = [pts[d].nunique() for d in dims]
        if not pts.duplicated(dims).any() and len(pts) == int(np.prod(sizes)):
            return xr.Dataset.from_dataframe(pts.set_index(dims)[values + ["point"]])
        ds = xr.Dataset.from_dataframe(pts.set_index("point")[values])
        return ds.assign_coords({d: ("point", pts[d].to_numpy()) for d in dims})

    def describe(self):
        """A few lines saying what the file holds."""
        pts = self._points
        done = int((pts["status"] == 1).sum()) if len(pts) else 0
        lines = [
            f"{self.path}: experiment '{self.name}', {done} of {len(pts)} points done"
            + ("" if done == len(pts) else " (INCOMPLETE: rtcascade run --resume finishes it)"),
            f"created {self.attrs.get('created', '?')} by rtcascade "
            f"{self.attrs.get('software_version', '?')} (git {self.attrs.get('git_commit', '?')})"
            f"; seed {self.attrs.get('seed', '?')}; {self.attrs.get('runs_per_point', '?')} runs "
            f"per point",
            f"scenarios: {', '.join(self.scenarios) or '-'}; swept: "
            f"{', '.join(self.swept_keys) or '-'}",
        ]
        return "\n".join(lines)

    def __repr__(self):
        return f"<rtcascade.Results {self.describe().splitlines()[0]}>"


def load(path):
    """Opens a results file: a Results with .points, .runs, .point_runs(), .summary, .curves(),
    .networks, .attrs, .config."""
    return Results(path)
