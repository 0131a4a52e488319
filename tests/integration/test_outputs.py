#!/usr/bin/env python3
"""Only regular files are written, replaced or opened as rtcascade files: a FIFO, a device node or
a link to one, given as the results file, its journal, a graph file or a network cache, is
refused with one line and exit 5 (never replaced with a regular file, never waited on), whatever
--force or --resume say.

usage: test_outputs.py RTCASCADE"""
import os
import shutil
import stat
import subprocess
import sys
import tempfile

from rcitest import check, finish

CONFIG = """name: tiny
seed: 1
runs: 10
network: {generator: erdos_renyi, nodes: 100, mean_degree: 3}
model: {name: independent_cascade, p: 0.1}
seeds: {strategy: random, count: 1}
"""


def rtc(exe, args, cwd):
    try:
        return subprocess.run([exe] + args, cwd=cwd, capture_output=True, text=True, timeout=20)
    except subprocess.TimeoutExpired:
        return None


def expect_refused(exe, args, cwd, node, kind, what):
    p = rtc(exe, args, cwd)
    if not check(p is not None, f"{what}: hangs (killed after 20 s)"):
        return
    err = p.stderr.strip()
    check(p.returncode == 5, f"{what}: exit {p.returncode}, expected 5: {err}")
    check(len(err.splitlines()) == 1 and err.startswith("rtcascade: "),
          f"{what}: stderr is not one line: {err!r}")
    if check(os.path.lexists(node), f"{what}: {node} was removed"):
        mode = os.lstat(node).st_mode
        check(kind(mode), f"{what}: {node} was replaced (mode {stat.filemode(mode)})")
    print(f"ok   {what}: exit {p.returncode}: {err[:110]}")


def main():
    exe = os.path.abspath(sys.argv[1])
    tmp = tempfile.mkdtemp(prefix="rc_outputs_")
    try:
        with open(os.path.join(tmp, "tiny.yaml"), "w") as f:
            f.write(CONFIG)
        makers = [("fifo", stat.S_ISFIFO, "a FIFO", lambda p: os.mkfifo(p)),
                  ("devlink", stat.S_ISLNK, "a link to /dev/null",
                   lambda p: os.symlink("/dev/null", p))]
        if os.geteuid() == 0:
            try:
                dev = os.path.join(tmp, "probe")
                os.mknod(dev, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
                os.remove(dev)
                makers.append(("mynull", stat.S_ISCHR, "a device node",
                               lambda p: os.mknod(p, 0o666 | stat.S_IFCHR, os.makedev(1, 3))))
            except OSError as e:
                print(f"skip device nodes: {e}")

        def fresh(path, make):
            if os.path.lexists(path):
                os.remove(path)
            make(path)
            return path

        for name, kind, label, make in makers:
            node = os.path.join(tmp, name)
            cases = [(["run", "tiny.yaml", "-o", name, "--quiet", "--force"], "run -o {} --force"),
                     (["run", "tiny.yaml", "-o", name, "--quiet", "--resume"],
                      "run -o {} --resume"),
                     (["run", "tiny.yaml", "-o", name, "--quiet"], "run -o {}"),
                     (["graph", "tiny.yaml", "-o", name, "--force"], "graph -o {} --force"),
                     (["info", name], "info {}"),
                     (["graph", "tiny.yaml", "--set", f"network.cache={name}"],
                      "graph with network.cache = {}")]
            for args, what in cases:
                expect_refused(exe, args, tmp, fresh(node, make), kind, what.format(label))
            # the journal beside a results file
            jnode = os.path.join(tmp, "out.h5.journal")
            for extra in (["--force"], ["--resume"], []):
                expect_refused(exe, ["run", "tiny.yaml", "-o", "out.h5", "--quiet"] + extra, tmp,
                               fresh(jnode, make), kind,
                               f"run whose journal is {label} {' '.join(extra)}".rstrip())
                if os.path.lexists(jnode):
                    os.remove(jnode)
                check(not os.path.exists(os.path.join(tmp, "out.h5")),
                      f"run whose journal is {label}: out.h5 was written")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return finish("test_outputs")


if __name__ == "__main__":
    sys.exit(main())
