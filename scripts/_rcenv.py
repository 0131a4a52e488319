"""What the scripts of this folder do first: make the rtcascade package importable (the one in
this source tree's python/, else an installed one, or PYTHONPATH as `rtcascade run --figures`
sets it) and check that this Python has the modules they need, so that a Python without them
(a second interpreter first on PATH) is named in one line with what to install, not a
traceback. Standard library only.

    import _rcenv
    _rcenv.setup("rcplot", "matplotlib")
"""
import os
import sys

_TREE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python")


def setup(who, *modules):
    """Exits (status 1) with one line when rtcascade or one of `modules` cannot be imported."""
    if os.path.isdir(os.path.join(_TREE, "rtcascade")):
        sys.path.insert(0, os.path.abspath(_TREE))
    try:
        import rtcascade  # noqa: F401  (checks numpy, h5py and pandas itself)
        from rtcascade._requires import missing, message
    except ModuleNotFoundError as e:
        if e.name == "rtcascade":
            sys.exit(f"{who}: cannot import the rtcascade package; set PYTHONPATH to the folder "
                     "that holds it (build/python, or the install's site-packages)")
        sys.exit(f"{who}: {e}")
    except ImportError as e:
        sys.exit(f"{who}: {e}")
    lacking = missing(*modules)
    if lacking:
        sys.exit(message(lacking, who))
