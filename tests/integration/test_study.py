"""The default study end to end at a reduced size: `rtcascade run` with no config (the
embedded configs/handpicked_vs_broadcast.yaml) shrunk with --set, which must write the results
file and draw the study's figures (real, non-empty PNGs) by itself; plus the audience rules the
study's reading rests on: engagement 0 shows the post to exactly the audience and nobody
reshares, and hand-picked (top) audiences hold the most-followed accounts of their circle.

usage: test_study.py RTCASCADE"""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
import rcitest  # noqa: E402
from rcitest import check  # noqa: E402
import rtcascade as rcload  # noqa: E402  (load() reads a results file; no library needed)
import numpy as np  # noqa: E402

SMALL = ["--set", "network.nodes=40000", "--set", "network.max_degree=800",
         "--set", "network.communities=10", "--set", "runs=60",
         "--set", "scenarios.celebrity.audience.size=20000",
         "--set", "scenarios.broadcast.sweep={audience.size: [250, 1000, 4000, 16000]}"]


def main():
    exe = sys.argv[1]
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "study.h5")
        p = rcitest.run(exe, SMALL + ["-o", out], timeout=300)
        check(p.returncode == 0, f"default study exits 0 (got {p.returncode}: {p.stderr})")
        figs = os.path.join(d, "study_figures")
        for name in ("study_overview", "study_audience_size", "study_engagement", "study_ccdf"):
            png = os.path.join(figs, name + ".png")
            ok = os.path.exists(png) and os.path.getsize(png) > 5000
            if ok:
                with open(png, "rb") as f:
                    ok = f.read(8) == b"\x89PNG\r\n\x1a\n"
            check(ok, f"{name}.png written and a PNG")
            check(os.path.exists(os.path.join(figs, name + ".pdf")), f"{name}.pdf written")
        check("random followers to match" in p.stdout, "the crossings table is printed")
        r = rcload.load(out)
        pts = r.points
        check(set(pts["scenario"]) == {"handpicked", "broadcast", "celebrity"}, "three scenarios")
        check(len(pts) == 3 * (5 + 4 + 3), f"3 x (5 + 4 + 3) points (got {len(pts)})")
        check(bool(np.all(pts["status"] == 1)), "every point complete")

        # --no-figures draws nothing; engagement 0: reach == audience size, no retweets.
        out0 = os.path.join(d, "zero.h5")
        p = rcitest.run(exe, SMALL + ["--set", "scenarios.handpicked.sweep={audience.engagement: [0]}",
                                      "--set", "scenarios.celebrity.sweep={audience.engagement: [0]}",
                                      "--set", "scenarios.broadcast.audience.engagement=0",
                                      "--no-figures", "-o", out0])
        check(p.returncode == 0, f"engagement-0 study exits 0 ({p.stderr})")
        check(not os.path.exists(os.path.join(d, "zero_figures")), "--no-figures draws nothing")
        r0 = rcload.load(out0)
        runs = r0.runs.merge(r0.points[["point", "scenario", "audience.size"]], on="point")
        size = np.where(runs["scenario"] == "handpicked", 250,
                        np.where(runs["scenario"] == "celebrity", 20000,
                                 runs["audience.size"].astype(float)))
        check(bool(np.all(runs["retweets"] == 0)), "engagement 0: no retweets")
        check(bool(np.all(runs["reach"] == size)), "engagement 0: reach == audience size")
        check(bool(np.allclose(runs["reach_per_member"], 1.0)), "engagement 0: reach per member 1")
    return rcitest.finish("test_study")


if __name__ == "__main__":
    sys.exit(main())
