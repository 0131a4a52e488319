#!/usr/bin/python3
"""Load an rtcascade results file (docs/results-format.md) into pandas DataFrames.

    import rcload
    r = rcload.load("results/handpicked_vs_broadcast.h5")
    r.points            # one row per point: scenario, swept keys, status, and its /summary columns
    r.runs              # one row per run (loaded on first use)
    r.curves(3)         # {"generations": df, "size_ccdf": df, "time": df} of point 3
    r.curves(3, "size_ccdf")
    r.networks          # one row per network; r.degree_hist(0, "out") its follower counts
    r.attrs             # provenance: config, resolved_config, seed, software_version, ...

Strings come back as str (HDF5 stores them as fixed-length UTF-8 since format 2, which h5py
returns as bytes; format 1 files, which kept some as variable-length strings, load too). A
partial file (an interrupted run) loads too: pending points have status 0 and NaN summary
columns.

Run as a script, prints a short description: /usr/bin/python3 scripts/rcload.py FILE
"""
import sys

import h5py
import numpy as np
import pandas as pd

FORMAT = "rtcascade-results"
FORMAT_VERSION = 2
CURVES = ("generations", "size_ccdf", "time")


def _text(v):
    return v.decode("utf-8", "replace") if isinstance(v, bytes) else v


def table(dset):
    """A compound dataset as a DataFrame, byte-string columns decoded to str."""
    data = dset[()]
    df = pd.DataFrame(data) if len(data) else pd.DataFrame(np.zeros(0, dtype=data.dtype))
    for name in df.columns:
        kind = data.dtype[name].kind
        if kind in "SO":
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
                                 f"is newer than this rcload ({FORMAT_VERSION})")
            self._points = table(f["points"])
            self.summary = table(f["summary"])
            self.networks = table(f["networks/stats"])
        self._runs = None
        self._curves = {}

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

    # -- tables --
    @property
    def points(self):
        """/points joined with /summary (left join on point: pending points have NaNs)."""
        dup = [c for c in self.summary.columns if c in self._points.columns and c != "point"]
        return self._points.merge(self.summary.drop(columns=dup), on="point", how="left")

    @property
    def runs(self):
        if self._runs is None:
            with h5py.File(self.path, "r") as f:
                self._runs = table(f["runs"])
        return self._runs

    def curves(self, point=None, kind=None):
        """Curves of one point (or all when point is None): a dict of DataFrames by kind
        (generations, size_ccdf, time), or one DataFrame when kind is given."""
        kinds = CURVES if kind is None else (kind,)
        out = {}
        for k in kinds:
            if k not in CURVES:
                raise KeyError(f"no curve '{k}' (curves: {', '.join(CURVES)})")
            if k not in self._curves:
                with h5py.File(self.path, "r") as f:
                    self._curves[k] = table(f["curves"][k])
            df = self._curves[k]
            out[k] = df if point is None else df[df["point"] == point].reset_index(drop=True)
        return out[kind] if kind is not None else out

    def degree_hist(self, network=0, direction="out"):
        """Nodes per degree of a network: index = degree (followers for "out", followees for
        "in")."""
        if direction not in ("out", "in"):
            raise ValueError("direction is 'out' or 'in'")
        with h5py.File(self.path, "r") as f:
            h = f[f"networks/{int(network)}/{direction}_degree_hist"][()]
        return pd.Series(h, name=f"{direction}_degree_nodes").rename_axis("degree")

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


def load(path):
    """Opens a results file: a Results with .points, .runs, .summary, .curves(), .networks,
    .attrs."""
    return Results(path)


def main(argv):
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(argv) == 2 else 2
    try:
        r = load(argv[1])
    except (OSError, ValueError, KeyError) as e:
        print(f"rcload: {e}", file=sys.stderr)
        return 4
    print(r.describe())
    cols = ["point", "scenario"] + [c for c in r._points.columns if c in r.swept_keys
                                    or c.startswith("swept:")]
    cols += [c for c in ("status", "retweets_mean", "retweets_q95", "reach_mean", "virality_mean",
                         "p_global") if c in r.points.columns]
    with pd.option_context("display.max_rows", 40, "display.width", 120):
        print(r.points[cols].to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
