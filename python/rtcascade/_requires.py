"""Which Python modules the package and its scripts need, checked before they are imported, so
that a Python without them (a second interpreter first on PATH, a bare virtual environment) is
named in one line with what to install, instead of a traceback. Standard library only."""
import importlib.util
import os
import sys

# module -> Debian/Ubuntu package
PACKAGES = {"numpy": "python3-numpy", "h5py": "python3-h5py", "pandas": "python3-pandas",
            "matplotlib": "python3-matplotlib", "scipy": "python3-scipy",
            "networkx": "python3-networkx", "yaml": "python3-yaml", "xarray": "python3-xarray"}


def missing(*modules):
    """The modules among `modules` this Python cannot import."""
    return [m for m in modules if importlib.util.find_spec(m) is None]


def message(lacking, who="rtcascade"):
    pkgs = " ".join(PACKAGES.get(m, m) for m in lacking)
    return (f"{who}: this Python ({sys.executable}, {sys.version.split()[0]}) lacks "
            f"{', '.join(lacking)}: install them (Debian/Ubuntu: apt-get install {pkgs}) or run "
            f"with a Python that has them (usually /usr/bin/python3; RTCASCADE_PYTHON names it "
            f"for the scripts and `rtcascade run --figures`)")


def require(*modules, who=None):
    """Raises ImportError naming this interpreter and the packages when a module is missing."""
    lacking = missing(*modules)
    if lacking:
        raise ImportError(message(lacking, who or "rtcascade"))


def require_or_exit(*modules):
    """For scripts: exits with the one-line message (status 1) when a module is missing."""
    lacking = missing(*modules)
    if lacking:
        sys.exit(message(lacking, os.path.basename(sys.argv[0]) or "rtcascade"))
