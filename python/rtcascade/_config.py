"""Python values -> config text: dicts become block YAML, one key per line, so that the
library's messages ("config:4:6: model.p: expected a number in [0, 1], got 1.5") point at a
line a user can find, and every value is read by the library's own config code. Strings are
written plain when YAML reads them back as the same text, quoted otherwise (a quoted value is
always text, so "0.1" stays a string and is refused where a number is expected, as in a
config file)."""
import json
import math
import numbers
import os
import re

import numpy as np

_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_./+-]*$")
# YAML 1.1 words that would not read back as text.
_RESERVED = {"y", "n", "yes", "no", "true", "false", "on", "off", "null", "~"}


def scalar(v):
    """One value as YAML flow text."""
    if isinstance(v, np.generic):
        v = v.item()
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, numbers.Integral):
        return str(int(v))
    if isinstance(v, numbers.Real):
        f = float(v)
        if math.isnan(f):
            return ".nan"
        if math.isinf(f):
            return ".inf" if f > 0 else "-.inf"
        return repr(f)
    if isinstance(v, os.PathLike):
        v = os.fspath(v)
    if isinstance(v, bytes):
        v = v.decode("utf-8")
    if isinstance(v, str):
        if _PLAIN.match(v) and v.lower() not in _RESERVED:
            return v
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, dict):
        return "{" + ", ".join(f"{key(k)}: {scalar(x)}" for k, x in v.items()) + "}"
    if isinstance(v, (list, tuple, np.ndarray, range)):
        return "[" + ", ".join(scalar(x) for x in v) + "]"
    raise TypeError(f"cannot write {type(v).__name__} {v!r} into a config")


def key(k):
    if not isinstance(k, str):
        raise TypeError(f"config keys are strings, got {type(k).__name__} {k!r}")
    return k if _PLAIN.match(k) and k.lower() not in _RESERVED else json.dumps(k)


def to_yaml(mapping, indent=0):
    """A dict as block YAML text (nested dicts as nested blocks, lists in flow style)."""
    if not isinstance(mapping, dict):
        raise TypeError(f"expected a dict, got {type(mapping).__name__}")
    pad = " " * indent
    lines = []
    for k, v in mapping.items():
        if isinstance(v, dict) and v:
            lines.append(f"{pad}{key(k)}:")
            lines.append(to_yaml(v, indent + 2).rstrip("\n"))
        else:
            lines.append(f"{pad}{key(k)}: {scalar(v)}")
    return "\n".join(lines) + "\n"


def assignments(sets):
    """--set assignments from a list of "key.path=value" strings (the value is YAML, as on the
    command line) or a dict {key.path: python value}."""
    if sets is None:
        return []
    if isinstance(sets, dict):
        return [f"{k}={scalar(v)}" for k, v in sets.items()]
    if isinstance(sets, str):
        sets = [sets]
    out = []
    for s in sets:
        if not isinstance(s, str) or "=" not in s:
            raise ValueError(f"set: expected 'key.path=value', got {s!r}")
        out.append(s)
    return out
