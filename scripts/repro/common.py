"""What the paper reproductions share: finding and running rtcascade on a paper's config (full
size or reduced), joining runs to their points, 95% confidence intervals that respect graph
realisations, the "paper/theory vs rtcascade" table with its agreement test, the figure style,
and degree-distribution helpers for generating-function theory.

A paper module (scripts/repro/<key>.py) builds a Report: one Row per compared number, each with
the reference value (theory or the paper's published number), rtcascade's estimate with its
standard error and 95% CI, and, for the rows the ctest checks, an allowance for what finite
size is known to cause; figures are drawn with new_figure()/save().
"""
import csv
import math
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = os.path.dirname(HERE)
REPO = os.path.dirname(SCRIPTS)
# The rtcascade package of this tree (python/), else the one on the path (an install).
if os.path.isdir(os.path.join(REPO, "python", "rtcascade")):
    sys.path.insert(0, os.path.join(REPO, "python"))
import rtcascade  # noqa: E402

try:  # share the look of the package's figures
    from rtcascade import plot as _rcplot  # noqa: E402
except Exception:  # matplotlib trouble: the reproductions still draw
    _rcplot = None
import matplotlib.pyplot as plt  # noqa: E402

# A checked row agrees when |estimate - reference| <= Z_CHECK * se + allowance: 5 standard
# errors cannot flake (two-sided p < 6e-7 per row), the allowance covers known finite-size bias.
Z_CHECK = 5.0
Z95 = 1.959963984540054
DPI = getattr(_rcplot, "DPI", 150)
FORMATS = ("png", "pdf")
THEORY_STYLE = dict(color="0.15", lw=1.5, zorder=3)
PAPER_COLOURS = ["C0", "C1", "C2", "C3", "C4", "C5"]


# ----------------------------------------------------------------------------- config and runs

def config_path(key):
    return os.path.join(REPO, "configs", "papers", f"{key}.yaml")


def default_out(key, reduced):
    base = os.path.join(REPO, "results", "papers", key)
    return os.path.join(base, "reduced") if reduced else base


def reduced_sets(config):
    """The --set overrides of the reduced version: the `# reduced: key.path=value` comment lines
    of the config, in order (comments, so that rtcascade itself reads the file unchanged)."""
    sets = []
    with open(config) as f:
        for line in f:
            s = line.strip()
            if s.startswith("# reduced:"):
                sets.append(s[len("# reduced:"):].strip())
    return sets


def find_rtcascade(explicit=None):
    """The rtcascade binary: `explicit`, else $RTCASCADE, else build/rtcascade or another
    build*/rtcascade of the repository (newest first), else rtcascade on the PATH."""
    if explicit:
        return explicit
    if os.environ.get("RTCASCADE"):
        return os.environ["RTCASCADE"]
    cands = [os.path.join(REPO, "build", "rtcascade")]
    others = []
    for d in sorted(os.listdir(REPO)):
        p = os.path.join(REPO, d, "rtcascade")
        if d.startswith("build") and d != "build" and os.path.isfile(p):
            others.append(p)
    cands += sorted(others, key=os.path.getmtime, reverse=True)
    for p in cands:
        if os.path.isfile(p) and os.access(p, os.X_OK):
            return p
    p = shutil.which("rtcascade")
    if p:
        return p
    raise FileNotFoundError("rtcascade not found: build it (scripts/setup.sh or cmake) or give "
                            "--rtcascade PATH / $RTCASCADE")


def run_rtcascade(exe, config, out_h5, sets=(), threads=None, force=False, quiet=False):
    """Runs `rtcascade run config -o out_h5` with the --set overrides. An existing out_h5 is
    finished with --resume (nothing to do when complete; rtcascade refuses one made from
    another config), or rerun from scratch with force. Returns out_h5; raises RuntimeError
    with rtcascade's message on failure."""
    os.makedirs(os.path.dirname(os.path.abspath(out_h5)), exist_ok=True)
    cmd = [exe, "run", config, "-o", out_h5]
    for s in sets:
        cmd += ["--set", s]
    if threads:
        cmd += ["--threads", str(threads)]
    if os.path.exists(out_h5):
        cmd += ["--force"] if force else ["--resume"]
    cmd += ["--quiet"] if quiet else []
    print("$ " + " ".join(_quote(c) for c in cmd), file=sys.stderr, flush=True)
    env = dict(os.environ)
    # Idle OpenMP threads that spin steal the core of the background results writer (and of
    # anything else on a shared machine): 10x slower runs of many small points were measured.
    # Passive waiting changes no result.
    env.setdefault("OMP_WAIT_POLICY", "passive")
    p = subprocess.run(cmd, stdout=subprocess.PIPE if quiet else None, text=True, env=env)
    if p.returncode != 0:
        # Exit 2 on an existing file under --resume means it was made from another config.
        hint = (" (the file was made from another config: rerun with --force to overwrite it)"
                if p.returncode == 2 and os.path.exists(out_h5) and not force
                else " (rtcascade's own message above says why)")
        raise RuntimeError(f"rtcascade run failed with exit status {p.returncode}{hint}")
    return out_h5


def run_fit(exe, config, out_h5, sets=(), threads=None):
    """Runs `rtcascade fit config -o out_h5 --force --quiet` with the --set overrides (a fit
    takes seconds, so it is always redone). Returns out_h5; raises RuntimeError on failure."""
    os.makedirs(os.path.dirname(os.path.abspath(out_h5)), exist_ok=True)
    cmd = [exe, "fit", config, "-o", out_h5, "--force", "--quiet"]
    for s in sets:
        cmd += ["--set", s]
    if threads:
        cmd += ["--threads", str(threads)]
    print("$ " + " ".join(_quote(c) for c in cmd), file=sys.stderr, flush=True)
    p = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"rtcascade fit failed with exit status {p.returncode} (its message "
                           "is above)")
    return out_h5


def _quote(s):
    if all(c.isalnum() or c in "/._-=,:" for c in s):
        return s
    return "'" + s.replace("'", "'\\''") + "'"


def load(path):
    return rtcascade.load(path)


def runs_table(results, columns=("size", "global")):
    """/runs of the finished points joined with /points: one row per run with `point`,
    `scenario`, `network` (the graph it ran on: the cluster for confidence intervals), every
    swept key and the given run columns."""
    pts = results.points
    pts = pts[pts["status"] == 1]
    keep = ["point", "scenario", "network"] + [k for k in results.swept_keys if k in pts.columns]
    runs = results.runs[["point"] + list(columns)]
    return runs.merge(pts[keep], on="point", how="inner")


def nodes_of(results, network=0):
    row = results.networks[results.networks["network"] == network]
    return int(row["nodes"].iloc[0])


def spec_value(results, key, default=None):
    """A value of the resolved config by dotted path (e.g. "network.nodes")."""
    import yaml  # Debian's python3-yaml; only needed here
    cfg = yaml.safe_load(results.attrs.get("resolved_config", "")) or {}
    node = cfg
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return default
        node = node[part]
    return node


# ----------------------------------------------------------------------------- statistics

@dataclass
class Estimate:
    """An estimate with its standard error and 95% confidence interval; n runs in `clusters`
    graph realisations (the CI accounts for runs on one graph being correlated)."""
    value: float
    se: float
    lo: float
    hi: float
    n: int
    clusters: int

    @staticmethod
    def empty():
        return Estimate(math.nan, math.nan, math.nan, math.nan, 0, 0)


def _cluster_se(values, clusters):
    """Standard error of the mean of `values`: delete-one-cluster jackknife when there are at
    least 2 clusters with runs (a ratio estimator: clusters may hold different numbers of
    runs), else sd / sqrt(n)."""
    v = np.asarray(values, dtype=float)
    n = len(v)
    if n < 2:
        return math.nan
    if clusters is not None:
        _, idx = np.unique(np.asarray(clusters), return_inverse=True)
        sums, cnts = np.bincount(idx, weights=v), np.bincount(idx).astype(float)
        g = len(sums)
        if g >= 2:
            loo = (sums.sum() - sums) / (cnts.sum() - cnts)
            return math.sqrt((g - 1) / g * np.sum((loo - loo.mean()) ** 2))
    return float(np.std(v, ddof=1) / math.sqrt(n))


def mean_ci(values, clusters=None, low=-math.inf, high=math.inf):
    """Mean of per-run values with a normal 95% CI (SE from the cluster jackknife when the
    runs come from several graphs), cut to the values' range [low, high]."""
    v = np.asarray(values, dtype=float)
    if len(v) == 0:
        return Estimate.empty()
    m = float(v.mean())
    se = _cluster_se(v, clusters)
    g = len(np.unique(clusters)) if clusters is not None else 1
    if not np.isfinite(se):
        return Estimate(m, math.nan, math.nan, math.nan, len(v), g)
    return Estimate(m, se, max(low, m - Z95 * se), min(high, m + Z95 * se), len(v), g)


def proportion_ci(flags, clusters=None):
    """Fraction of runs with the flag, with a Wilson 95% CI on the effective number of runs
    (n divided by the design effect of the graphs, from the cluster jackknife). The SE is
    never 0: at 0 or 1 successes it is the Agresti-Coull SE, so a check against theory still
    has a scale."""
    f = np.asarray(flags, dtype=float)
    n = len(f)
    if n == 0:
        return Estimate.empty()
    x = float(f.sum())
    p = x / n
    g = len(np.unique(clusters)) if clusters is not None else 1
    deff = 1.0
    if 0 < x < n and clusters is not None:
        se_jk = _cluster_se(f, clusters)
        if np.isfinite(se_jk):
            deff = max(1.0, se_jk ** 2 / (p * (1 - p) / n))
    ne = n / deff
    z2 = Z95 ** 2
    centre = (p + z2 / (2 * ne)) / (1 + z2 / ne)
    half = Z95 * math.sqrt(p * (1 - p) / ne + z2 / (4 * ne * ne)) / (1 + z2 / ne)
    pt = (p * ne + 2) / (ne + 4)
    se = max(math.sqrt(p * (1 - p) / ne), math.sqrt(pt * (1 - pt) / (ne + 4)) if x in (0, n)
             else 0.0)
    return Estimate(p, se, max(0.0, centre - half), min(1.0, centre + half), n, g)


# ----------------------------------------------------------------------------- the table

@dataclass
class Row:
    """One compared number. `reference` is the theory (source "theory") or the paper's
    published value (source "paper"); `allow` is the documented finite-size allowance of a
    checked row; check=False rows are shown but not tested (e.g. near a transition)."""
    figure: str
    quantity: str
    setting: str
    reference: float
    est: Estimate
    source: str = "theory"
    check: bool = True
    allow: float = 0.0
    note: str = ""

    @property
    def z(self):
        if not (np.isfinite(self.est.se) and self.est.se > 0 and np.isfinite(self.reference)):
            return math.nan
        return (self.est.value - self.reference) / self.est.se

    @property
    def in_ci(self):
        return bool(self.est.lo <= self.reference <= self.est.hi)

    @property
    def agrees(self):
        """|estimate - reference| <= Z_CHECK se + allow (False when either is missing)."""
        if not (np.isfinite(self.est.value) and np.isfinite(self.reference)):
            return False
        tol = (Z_CHECK * self.est.se if np.isfinite(self.est.se) else 0.0) + self.allow
        return abs(self.est.value - self.reference) <= tol


@dataclass
class Report:
    key: str
    title: str
    rows: list = field(default_factory=list)
    figures: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def failures(self):
        """Checked rows that do not agree, as lines of text."""
        return [f"{r.figure} {r.quantity} at {r.setting}: rtcascade {fmt(r.est.value)} "
                f"(se {fmt(r.est.se)}) vs {r.source} {fmt(r.reference)}, allowance "
                f"{fmt(r.allow)}" for r in self.rows if r.check and not r.agrees]


def fmt(v, digits=4):
    if v is None or (isinstance(v, float) and not np.isfinite(v)):
        return "–"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    a = abs(v)
    if a != 0 and (a >= 1e5 or a < 1e-3):
        return f"{v:.{digits - 1}e}"
    return f"{v:.{digits}g}"


TABLE_COLUMNS = ["figure", "quantity", "setting", "source", "reference", "rtcascade",
                 "ci95_lo", "ci95_hi", "se", "z", "in_ci95", "runs", "graphs", "checked",
                 "allowance", "agrees", "note"]


def table_records(report):
    out = []
    for r in report.rows:
        out.append({"figure": r.figure, "quantity": r.quantity, "setting": r.setting,
                    "source": r.source, "reference": r.reference, "rtcascade": r.est.value,
                    "ci95_lo": r.est.lo, "ci95_hi": r.est.hi, "se": r.est.se, "z": r.z,
                    "in_ci95": r.in_ci, "runs": r.est.n, "graphs": r.est.clusters,
                    "checked": r.check, "allowance": r.allow,
                    "agrees": r.agrees if r.check else None, "note": r.note})
    return out


def markdown_table(report):
    head = ("| figure | quantity | setting | paper/theory | rtcascade | 95% CI | Δ/se | runs "
            "(graphs) | check |")
    lines = [head, "|" + "---|" * 9]
    for r in report.rows:
        if r.check:
            chk = "ok" if r.agrees else "**FAIL**"
            if r.allow:
                chk += f" (±{fmt(r.allow, 2)})"
        else:
            chk = "–"
        ref = fmt(r.reference) + ("" if r.source == "theory" else f" ({r.source})")
        lines.append(f"| {r.figure} | {r.quantity} | {r.setting} | {ref} | {fmt(r.est.value)} | "
                     f"[{fmt(r.est.lo)}, {fmt(r.est.hi)}] | {fmt(r.z, 2)} | {r.est.n} "
                     f"({r.est.clusters}) | {chk}{' ' + r.note if r.note else ''} |")
    return "\n".join(lines)


def write_tables(report, out_dir):
    """<key>_table.md (title, notes, table) and <key>_table.csv; returns their paths."""
    os.makedirs(out_dir, exist_ok=True)
    md = os.path.join(out_dir, f"{report.key}_table.md")
    with open(md, "w") as f:
        f.write(f"# {report.title}\n\n")
        for n in report.notes:
            f.write(f"- {n}\n")
        f.write("\n" + markdown_table(report) + "\n")
    cs = os.path.join(out_dir, f"{report.key}_table.csv")
    with open(cs, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=TABLE_COLUMNS)
        w.writeheader()
        for rec in table_records(report):
            w.writerow({k: ("" if isinstance(v, float) and not np.isfinite(v) else v)
                        for k, v in rec.items()})
    return [md, cs]


# ----------------------------------------------------------------------------- figures

@dataclass
class Context:
    """Where a paper module writes and how: out_dir, file formats, reduced or full size."""
    out_dir: str
    reduced: bool = False
    formats: tuple = FORMATS


def new_figure(ncols=1, nrows=1, size=(6.8, 4.6), **kw):
    fig, ax = plt.subplots(nrows, ncols, figsize=size, layout="constrained", **kw)
    return fig, ax


def grid(ax):
    if _rcplot is not None:
        _rcplot.grid(ax)
    else:
        ax.grid(True, which="major", alpha=0.3)
        ax.grid(True, which="minor", alpha=0.08)


def title(ax, main, sub=""):
    if _rcplot is not None:
        _rcplot.title(ax, main, sub)
    else:
        ax.set_title(main + ("\n" + sub if sub else ""), fontsize=11)


def errorbars(ax, x, ests, **kw):
    """rtcascade's estimates as markers with 95% CI bars (NaN estimates are left out)."""
    x = np.asarray(x, dtype=float)
    v = np.array([e.value for e in ests], dtype=float)
    lo = np.array([e.lo for e in ests], dtype=float)
    hi = np.array([e.hi for e in ests], dtype=float)
    ok = np.isfinite(v)
    lo = np.where(np.isfinite(lo), lo, v)
    hi = np.where(np.isfinite(hi), hi, v)
    style = dict(fmt="o", ms=4, capsize=2, elinewidth=0.9, lw=0)
    style.update(kw)
    yerr = [np.maximum(v[ok] - lo[ok], 0.0), np.maximum(hi[ok] - v[ok], 0.0)]
    return ax.errorbar(x[ok], v[ok], yerr=yerr, **style)


def save(fig, ctx, stem):
    """Writes the figure as <out_dir>/<stem>.<format> for each format; returns the paths."""
    os.makedirs(ctx.out_dir, exist_ok=True)
    paths = []
    for ext in ctx.formats:
        p = os.path.join(ctx.out_dir, f"{stem}.{ext}")
        fig.savefig(p, dpi=DPI)
        paths.append(p)
    plt.close(fig)
    return paths


def copy_to_docs(report, max_bytes=200_000):
    """Copies the report's PNG figures to docs/figures/ (warning on stderr when one is larger
    than max_bytes, the limit for figures kept in git); returns the new paths."""
    dest = os.path.join(REPO, "docs", "figures")
    os.makedirs(dest, exist_ok=True)
    out = []
    for f in report.figures:
        if f.endswith(".png"):
            d = os.path.join(dest, os.path.basename(f))
            shutil.copyfile(f, d)
            if os.path.getsize(d) > max_bytes:
                print(f"warning: {d} is {os.path.getsize(d) // 1000} kB (> {max_bytes // 1000})",
                      file=sys.stderr)
            out.append(d)
    return out


def size_note(results, extra=""):
    """A subtitle: the network size, then `extra` (what a point holds, the threshold...)."""
    nodes = spec_value(results, "network.nodes")
    s = f"N = {nodes:,}" if isinstance(nodes, int) else ""
    return s + (f"; {extra}" if extra else "")


# ----------------------------------------------------------------------------- degree distributions

def poisson_pk(z, kmax=None):
    """Poisson degree distribution p_k, k = 0..kmax (kmax large enough that the tail is
    below 1e-16)."""
    if kmax is None:
        kmax = int(z + 12 * math.sqrt(z + 1) + 30)
    k = np.arange(kmax + 1)
    from scipy.special import gammaln
    logp = -z + k * (math.log(z) if z > 0 else -np.inf) - gammaln(k + 1)
    p = np.exp(np.where(k == 0, -z, logp))
    return p / p.sum()


def pk_from_hist(hist):
    """p_k from a degree histogram (nodes per degree, index = degree)."""
    h = np.asarray(hist, dtype=float)
    return h / h.sum()
