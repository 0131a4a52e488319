#!/usr/bin/env python3
"""Reproduces a published cascade experiment (docs/reproductions.md): runs
configs/papers/KEY.yaml with rtcascade (or reads an existing results file), draws the figure in
the paper's form with the theory overlaid, and prints the table "paper/theory vs rtcascade" with
95% confidence intervals. For the papers on real data (seismic2015, mishra2016) the config is a
fit config: `rtcascade fit` fits and predicts, and `rtcascade run` simulates the fitted model.

    /usr/bin/python3 scripts/reproduce.py KEY [--reduced] [--results FILE] [--out DIR]
                                          [--threads N] [--force] [--rtcascade PATH] [--docs]
    /usr/bin/python3 scripts/reproduce.py --list

--reduced applies the config's `# reduced: key=value` lines as --set overrides (a small, fast
version: the one ctest checks). Results, figures (PNG and PDF) and the table (markdown and CSV)
go to --out, by default results/papers/KEY/ (results/papers/KEY/reduced/ with --reduced); the
results file is KEY.h5 there. An existing one is finished with --resume, or rerun with --force.
--docs also copies the PNG figures to docs/figures/. rtcascade is --rtcascade, else $RTCASCADE,
else build/rtcascade (or the newest build*/rtcascade), else the one on the PATH.

Exit status: 0 done and every checked row agrees, 1 some checked row disagrees, 2 bad command
line, 3 rtcascade failed or the results file cannot be read.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _rcenv  # noqa: E402

_rcenv.setup("reproduce", "matplotlib", "scipy")
from repro import common, keys, paper  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog="\n\n".join(__doc__.split("\n\n")[1:]),
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("key", nargs="?", help="paper: " + ", ".join(keys()))
    ap.add_argument("--reduced", action="store_true",
                    help="run the reduced version (the config's '# reduced:' overrides)")
    ap.add_argument("--results", metavar="FILE", help="read this results file instead of running")
    ap.add_argument("--out", metavar="DIR", help="where figures, table and results go")
    ap.add_argument("--threads", type=int, metavar="N", help="OpenMP threads for rtcascade")
    ap.add_argument("--force", action="store_true", help="rerun even if KEY.h5 exists")
    ap.add_argument("--rtcascade", metavar="PATH", help="the rtcascade binary to run")
    ap.add_argument("--format", default="png,pdf", help="figure formats (default png,pdf)")
    ap.add_argument("--docs", action="store_true",
                    help="also copy the PNG figures to docs/figures/ (for docs/reproductions.md)")
    ap.add_argument("--list", action="store_true", help="list the papers and exit")
    a = ap.parse_args(argv)
    common.plt.switch_backend("Agg")  # the command writes files: no window, whatever the display
    if a.list:
        for k in keys():
            print(f"{k:14s} {paper(k).TITLE}")
        return 0
    if not a.key:
        ap.print_usage(sys.stderr)
        print("reproduce.py: give a paper key (--list shows them)", file=sys.stderr)
        return 2
    try:
        mod = paper(a.key)
    except ValueError as e:
        print(f"reproduce.py: {e}", file=sys.stderr)
        return 2
    out = a.out or common.default_out(a.key, a.reduced)
    ctx = common.Context(out_dir=out, reduced=a.reduced,
                         formats=tuple(f for f in a.format.split(",") if f))
    try:
        cfg = common.config_path(a.key)
        sets = common.reduced_sets(cfg) if a.reduced else []
        if hasattr(mod, "produce"):
            # papers on real data: the module runs `rtcascade fit` (and `run`) itself
            h5 = a.results or os.path.join(out, f"{a.key}.h5")
            results = mod.produce(lambda: common.find_rtcascade(a.rtcascade), cfg, h5, sets,
                                  ctx, threads=a.threads, force=a.force,
                                  reread=bool(a.results))
        else:
            if a.results:
                h5 = a.results
            else:
                h5 = common.run_rtcascade(common.find_rtcascade(a.rtcascade), cfg,
                                          os.path.join(out, f"{a.key}.h5"), sets, a.threads,
                                          force=a.force, quiet=True)
            results = common.load(h5)
    except (OSError, ValueError, RuntimeError, KeyError) as e:
        print(f"reproduce.py: {e}", file=sys.stderr)
        return 3
    if not getattr(results, "complete", True):
        print(f"reproduce.py: {h5} is incomplete (rtcascade run --resume finishes it); "
              "drawing the finished points", file=sys.stderr)
    rep = mod.analyse(results, ctx)
    files = rep.figures + common.write_tables(rep, out)
    print(f"# {rep.title}\n")
    for n in rep.notes:
        print(f"- {n}")
    print("\n" + common.markdown_table(rep) + "\n")
    if a.docs:
        files += common.copy_to_docs(rep)
    for f in files:
        print(f"wrote {f}")
    bad = rep.failures()
    checked = sum(1 for r in rep.rows if r.check)
    if bad:
        print(f"\n{len(bad)} of {checked} checked rows disagree:", file=sys.stderr)
        for b in bad:
            print("  " + b, file=sys.stderr)
        return 1
    print(f"\nall {checked} checked rows agree (|rtcascade - reference| <= "
          f"{common.Z_CHECK:g} se + allowance)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
