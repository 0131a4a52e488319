"""Reproductions of published cascade experiments (docs/reproductions.md).

One module per paper, named by its key (the config is configs/papers/<key>.yaml), plus
common.py with what they share: running rtcascade, confidence intervals over runs and graphs,
the "paper/theory vs rtcascade" table, and the figure style. scripts/reproduce.py is the
command; a paper module provides

    KEY, TITLE                     its key and a one-line title
    analyse(results, ctx)          -> common.Report (rows of the table, figures, notes)

and nothing else is required (see common.py for Report, Row and the helpers). A paper on real
data, whose config is a fit config, also provides

    produce(find_exe, config, h5, sets, ctx, threads, force, reread)
                                   -> what analyse() reads: runs `rtcascade fit` (and `run`)
                                      into h5 and files beside it, or only reads them (reread)
"""
import importlib
import pkgutil


def keys():
    """The paper keys: every module of this package except common."""
    return sorted(m.name for m in pkgutil.iter_modules(__path__)
                  if m.name != "common" and not m.name.startswith("_"))


def paper(key):
    """The module of paper `key` (ValueError naming the keys when there is none)."""
    if key not in keys():
        raise ValueError(f"no reproduction '{key}' (there are: {', '.join(keys())})")
    return importlib.import_module(f"{__name__}.{key}")
