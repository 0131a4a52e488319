"""What the scripts of this folder do first: run under a Python that has the modules they need,
and make the rtcascade package importable (the one in this source tree's python/, else an
installed one, or PYTHONPATH as `rtcascade run --figures` sets it). Standard library only.

A script started by a Python without its modules (a second interpreter first on PATH, a bare
virtual environment) runs itself again under one that has them: RTCASCADE_PYTHON when set, else
/usr/bin/python3, else python3 on PATH; it says so in one line on stderr. When none has them (or
RTCASCADE_REEXEC=0), it exits with one line naming this Python and what to install, not a
traceback. Imported as a module by someone else's program, it never re-runs anything.

    import _rcenv
    _rcenv.setup("rcplot", "matplotlib")     # scripts that use the rtcascade package
    _rcenv.need("bench_ic", "numpy")          # scripts that only need modules
"""
import importlib.util
import os
import shutil
import subprocess
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
_TREE = os.path.join(_HERE, "..", "python")
_REEXEC = "RTCASCADE_REEXEC"  # "0": never run again under another Python


def _requires():
    """python/rtcascade/_requires.py (module names -> Debian packages, the message), loaded from
    its file so that the package's own imports (numpy...) are not needed for it."""
    for root in [os.path.abspath(_TREE)] + sys.path:
        path = os.path.join(root, "rtcascade", "_requires.py")
        if os.path.isfile(path):
            spec = importlib.util.spec_from_file_location("_rc_requires", path)
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
            return mod
    return None


def _started_here():
    """1 when this process was started as one of this folder's scripts (not an importer's)."""
    main = getattr(sys.modules.get("__main__"), "__file__", None)
    return main is not None and os.path.dirname(os.path.abspath(main)) == _HERE


def _has(python, modules):
    """Whether `python` (a path) can import every one of `modules`."""
    code = ("import importlib.util, sys; "
            "sys.exit(any(importlib.util.find_spec(m) is None for m in sys.argv[1:]))")
    try:
        return subprocess.run([python, "-c", code, *modules], stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              timeout=120).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def _candidates():
    seen = set()
    for python in (os.environ.get("RTCASCADE_PYTHON"), "/usr/bin/python3",
                   shutil.which("python3")):
        if python and python not in seen and os.access(python, os.X_OK):
            seen.add(python)
            yield python


def need(who, *modules):
    """Returns when this Python has `modules`; else runs the script again under a Python that
    has them, or exits (status 1) with one line naming this one and what to install."""
    again = os.environ.pop(_REEXEC, None) != "0"
    lacking = [m for m in modules if importlib.util.find_spec(m) is None]
    if not lacking:
        return
    if again and _started_here():
        for python in _candidates():
            if _has(python, modules):
                print(f"{who}: this Python ({sys.executable}) lacks {', '.join(lacking)}; "
                      f"running under {python}", file=sys.stderr)
                sys.stdout.flush()
                sys.stderr.flush()
                script = os.path.abspath(sys.modules["__main__"].__file__)
                os.execve(python, [python, script, *sys.argv[1:]], dict(os.environ,
                                                                         **{_REEXEC: "0"}))
    req = _requires()
    if req is None:
        sys.exit(f"{who}: this Python ({sys.executable}) lacks {', '.join(lacking)}")
    sys.exit(req.message(lacking, who))


def setup(who, *modules):
    """need(who, what rtcascade needs, *modules), then makes the rtcascade package importable;
    exits (status 1) with one line when it cannot be imported."""
    if os.path.isdir(os.path.join(_TREE, "rtcascade")):
        sys.path.insert(0, os.path.abspath(_TREE))
    need(who, "numpy", "h5py", "pandas", *modules)
    try:
        import rtcascade  # noqa: F401
    except ModuleNotFoundError as e:
        if e.name == "rtcascade":
            sys.exit(f"{who}: cannot import the rtcascade package; set PYTHONPATH to the folder "
                     "that holds it (build/python, or the install's site-packages)")
        sys.exit(f"{who}: {e}")
    except ImportError as e:
        sys.exit(f"{who}: {e}")
