#!/usr/bin/env python3
"""The reduced reproductions of docs/reproductions.md (Watts 2002, Gleeson & Cahalane 2007,
Newman 2002, Kempe et al. 2003, Goel et al. 2016, Watts & Dodds 2007, and on real data Zhao et
al. 2015 (SEISMIC) and Mishra et al. 2016 (marked Hawkes fitted with rtcascade fit)):
scripts/reproduce.py KEY --reduced runs rtcascade on the paper's config with the
config's '# reduced:' overrides, writes the figures and the table, and every checked row agrees
with the theory within 5 standard errors (from the runs and graphs) plus its documented
finite-size allowance. Also: the theory code against closed forms, and --results rereads a file
to the same table.

usage: test_reproductions.py RTCASCADE REPRODUCE_PY"""
import csv
import math
import os
import subprocess
import sys
import tempfile
import time

from rcitest import check, finish

# Papers and the least number of checked rows each must have (no vacuous pass).
PAPERS = {"watts2002": 8, "gleeson2007": 10, "newman2002": 8, "goel2016": 15,
          "wattsdodds2007": 12, "kempe2003": 24, "seismic2015": 3, "mishra2016": 3}


def theory_checks(scripts):
    sys.path.insert(0, scripts)
    from repro import common, gleeson2007, newman2002, watts2002
    # Watts: the window at phi = 0.18 (vulnerable degrees 1..5) solves z P(Pois(z) <= 3) = 1.
    lo, hi = watts2002.boundary(0.18)
    for z in (lo, hi):
        p = sum(math.exp(-z) * z ** j / math.factorial(j) for j in range(4))
        check(abs(z * p - 1) < 1e-8, f"Watts boundary z = {z} solves z P(Pois(z) <= 3) = 1")
    check(0.99 < lo < 1.05 and 5.7 < hi < 5.8, f"Watts window at 0.18: ({lo}, {hi})")
    # k = 1/phi exactly is vulnerable (the engine's c / k >= phi).
    check(watts2002.most_vulnerable_degree(0.2) == 5, "phi = 0.2: degree 5 is vulnerable")
    check(watts2002.most_vulnerable_degree(0.26) == 3, "phi = 0.26: degree 3 is the last")
    # With every node vulnerable (phi tiny) the frequency is the giant component of G(n, p):
    # S = 1 - exp(-z S); so is the global size.
    z = 3.0
    s = 0.5
    for _ in range(200):
        s = 1 - math.exp(-z * s)
    f = watts2002.frequency(common.poisson_pk(z), 1e-6)
    check(abs(f - s) < 1e-8, f"Watts frequency at phi -> 0 is the giant component: {f} vs {s}")
    g = gleeson2007.fixed_point(common.poisson_pk(z), 1e-6, 1e-12)
    check(abs(g - s) < 1e-6, f"Gleeson-Cahalane size at phi -> 0, rho0 -> 0: {g} vs {s}")
    # Newman on a Poisson graph: T_c = 1/z; S(T) = 1 - exp(-z T S); <s> = 1/(1 - z T) below.
    d = newman2002.Degrees(common.poisson_pk(4.0))
    check(abs(d.tc - 0.25) < 1e-9, f"Poisson T_c = 1/z: {d.tc}")
    st, _ = d.outbreak(0.6)
    s = 0.5
    for _ in range(500):
        s = 1 - math.exp(-4.0 * 0.6 * s)
    check(abs(st - s) < 1e-9, f"Poisson S(0.6): {st} vs {s}")
    check(abs(d.outbreak(0.1)[1] - 1 / (1 - 0.4)) < 1e-9, "Poisson <s> below T_c = 1/(1 - zT)")
    # Finite outbreaks above T_c on Poisson: the dual subcritical graph has mean degree
    # z (1 - S), so <s> = 1 / (1 - z T (1 - S)).
    _, small = d.outbreak(0.6)
    check(abs(small - 1 / (1 - 4.0 * 0.6 * (1 - st))) < 1e-9, f"Poisson <s> above T_c: {small}")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    exe, reproduce = (os.path.abspath(a) for a in sys.argv[1:])
    theory_checks(os.path.dirname(reproduce))
    env = dict(os.environ, OMP_NUM_THREADS="2")
    with tempfile.TemporaryDirectory() as tmp:
        for key, least in PAPERS.items():
            out = os.path.join(tmp, key)
            t0 = time.time()
            p = subprocess.run([sys.executable, reproduce, key, "--reduced", "--out", out,
                                "--rtcascade", exe, "--threads", "2"],
                               capture_output=True, text=True, env=env, timeout=300)
            print(f"{key}: exit {p.returncode} in {time.time() - t0:.1f} s")
            if not check(p.returncode == 0, f"{key}: reproduce.py --reduced exits 0 "
                         f"(got {p.returncode})\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}"):
                continue
            table = os.path.join(out, f"{key}_table.csv")
            for f in (table, os.path.join(out, f"{key}_table.md"), os.path.join(out, f"{key}.h5")):
                check(os.path.isfile(f), f"{key}: {os.path.basename(f)} written")
            pngs = [f for f in os.listdir(out) if f.endswith(".png")]
            pdfs = [f for f in os.listdir(out) if f.endswith(".pdf")]
            check(pngs and len(pngs) == len(pdfs), f"{key}: figures as PNG and PDF {pngs} {pdfs}")
            with open(table) as f:
                rows = list(csv.DictReader(f))
            checked = [r for r in rows if r["checked"] == "True"]
            check(len(checked) >= least, f"{key}: {len(checked)} checked rows, want >= {least}")
            for r in checked:
                check(r["agrees"] == "True",
                      f"{key}: {r['quantity']} at {r['setting']}: rtcascade {r['rtcascade']} "
                      f"(se {r['se']}) vs {r['source']} {r['reference']}")
            print(f"{key}: {len(checked)} checked rows agree; "
                  f"{sum(r['in_ci95'] == 'True' for r in checked)} inside their 95% CI")
            # Rereading the results file gives the same table.
            again = os.path.join(tmp, key + "_again")
            q = subprocess.run([sys.executable, reproduce, key, "--results",
                                os.path.join(out, f"{key}.h5"), "--out", again, "--format", "png"],
                               capture_output=True, text=True, env=env, timeout=300)
            check(q.returncode == 0, f"{key}: --results rereads the file ({q.stderr[-2000:]})")
            if q.returncode == 0:
                with open(os.path.join(again, f"{key}_table.csv")) as f:
                    check(list(csv.DictReader(f)) == rows, f"{key}: --results gives the same table")
    # A wrong key is a usage error naming the keys.
    p = subprocess.run([sys.executable, reproduce, "nosuchpaper"], capture_output=True, text=True)
    check(p.returncode == 2 and "watts2002" in p.stderr, f"unknown key: exit {p.returncode}, "
          f"{p.stderr.strip()}")
    return finish("test_reproductions")


if __name__ == "__main__":
    sys.exit(main())
