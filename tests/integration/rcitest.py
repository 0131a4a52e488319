"""Helpers shared by the integration tests: run the CLI, read a results file whole with h5py,
and compare two results files dataset by dataset (bit for bit, NaN included) and attribute by
attribute, leaving out the provenance attributes that name when and how a file was made."""
import os
import subprocess
import sys

import h5py
import numpy as np

# Attributes that legitimately differ between two runs of the same experiment.
PROVENANCE_ATTRS = {"created", "command_line", "resumed", "finished", "hostname",
                    "elapsed_seconds", "threads", "wall_seconds", "updated"}

failures = []


def check(cond, what):
    """Records a failed expectation (the test goes on, so one run reports every problem)."""
    if not cond:
        failures.append(what)
        print("FAIL " + what, flush=True)
    return cond


def finish(name):
    if failures:
        print(f"{name}: {len(failures)} failure(s)")
        return 1
    print(f"{name}: all checks passed")
    return 0


def run(exe, args, cwd=None, env=None, timeout=120):
    cmd = [exe, "run"] + list(args)
    p = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    return p


def read_all(path):
    """{object path: (data or None for groups, {attr: value})} for everything in the file."""
    out = {}

    def attrs(obj):
        return {k: obj.attrs[k] for k in obj.attrs.keys()}

    with h5py.File(path, "r") as f:
        out["/"] = (None, attrs(f))

        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                out["/" + name] = (obj[()], attrs(obj))
            else:
                out["/" + name] = (None, attrs(obj))

        f.visititems(visit)
    return out


def _same_array(a, b):
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        if a.dtype != b.dtype or a.shape != b.shape:
            return False
        if a.dtype.names:
            return all(_same_array(np.ascontiguousarray(a[n]), np.ascontiguousarray(b[n]))
                       for n in a.dtype.names)
        if a.dtype.kind == "O":
            return all(_same_value(x, y) for x, y in zip(a.ravel(), b.ravel()))
        return np.ascontiguousarray(a).tobytes() == np.ascontiguousarray(b).tobytes()
    return _same_value(a, b)


def _same_value(a, b):
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and _same_array(a, b)
    if isinstance(a, float) and isinstance(b, float) and np.isnan(a) and np.isnan(b):
        return True
    try:
        return bool(a == b)
    except Exception:
        return False


def compare_files(pa, pb, ignore_attrs=PROVENANCE_ATTRS, only=None):
    """Differences between two results files, as a list of lines ([] when identical).
    `only`: restrict to object paths starting with one of these prefixes."""
    a, b = read_all(pa), read_all(pb)
    diffs = []
    keep = (lambda k: True) if only is None else (lambda k: any(k.startswith(o) for o in only))
    for k in sorted(set(a) | set(b)):
        if not keep(k):
            continue
        if k not in a or k not in b:
            diffs.append(f"{k}: only in {'first' if k in a else 'second'} file")
            continue
        (da, aa), (db, ab) = a[k], b[k]
        if (da is None) != (db is None) or (da is not None and not _same_array(da, db)):
            diffs.append(f"{k}: data differ")
        for name in sorted(set(aa) | set(ab)):
            if name in ignore_attrs:
                continue
            if name not in aa or name not in ab or not _same_value(aa[name], ab[name]):
                diffs.append(f"{k}: attribute {name} differs")
    return diffs


def text(v):
    """A string attribute or field as str (h5py gives str or bytes depending on storage)."""
    if isinstance(v, bytes):
        return v.decode()
    if isinstance(v, np.ndarray) and v.shape == ():
        return text(v[()])
    return str(v)


def exe_from_argv():
    if len(sys.argv) < 2:
        sys.exit(f"usage: {sys.argv[0]} RTCASCADE")
    return os.path.abspath(sys.argv[1])
