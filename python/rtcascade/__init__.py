"""rtcascade in Python: the Monte Carlo engine for retweet cascades, in process.

    import networkx as nx, rtcascade
    g = rtcascade.Graph.from_networkx(nx.gnm_random_graph(1000, 5000, directed=True, seed=1))
    runs = rtcascade.simulate(g, {"name": "independent_cascade", "p": 0.2}, runs=2000, seed=1)
    runs["retweets"].mean()

    r = rtcascade.run("configs/papers/goel2016.yaml", set={"runs": 100})  # a whole experiment
    r = rtcascade.load("results/goel2016.h5")                           # a results file
    rtcascade.plot.mean_vs(r, "model.p", "reach")

Graph (from numpy arrays, networkx, files, generators), simulate (one point -> a DataFrame of
runs, and the cascade trees), run (an experiment -> its results file), load (a results file ->
pandas), plot (figures). The library (librtcascade.so) is loaded on first use through ctypes;
reading and plotting results need only h5py, pandas and matplotlib. docs/python.md is the
reference."""
from ._requires import require as _require

_require("numpy", "h5py", "pandas")

from ._errors import (ArgumentError, ConfigError, Error, FileError, InputError, Interrupted,  # noqa: E402
                      LibraryError, MismatchError, OutOfMemoryError, OutputExistsError)
from .results import Results, load  # noqa: E402

__version__ = "0.2.0"

__all__ = ["Graph", "simulate", "run", "load", "Results", "plot", "models", "library_path",
           "Error", "ArgumentError", "ConfigError", "InputError", "FileError",
           "OutOfMemoryError", "OutputExistsError", "MismatchError", "LibraryError",
           "Interrupted"]


def __getattr__(name):
    # The engine's parts import the library's bindings, the plots matplotlib: both on first use.
    if name == "Graph":
        from ._graph import Graph
        return Graph
    if name == "simulate":
        from ._simulate import simulate
        return simulate
    if name == "run":
        from ._experiment import run
        return run
    if name == "plot":
        import importlib
        return importlib.import_module(".plot", __name__)
    raise AttributeError(f"module 'rtcascade' has no attribute '{name}'")


def library_path():
    """The path of the librtcascade.so this process uses (loading it)."""
    from . import _lib
    return _lib.library_path()


def models():
    """The names of the cascade models the library has (`rtcascade models` describes them)."""
    from . import _lib
    lib = _lib.lib()
    return [lib.rc_model_at(i)[0].decode() for i in range(lib.rc_model_count())]
