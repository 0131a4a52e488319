#!/usr/bin/env python3
"""Malformed-config corpus: every file in configs/ must make `rtcascade run` (or `rtcascade fit`
for the fit configs) fail with its expected exit code and a stderr line containing its expected
text, and leave no results file (nor journal) behind. Each file starts with comment lines:

    # what is wrong (one line)
    # expect-exit: 3
    # expect-stderr: text that must appear in stderr
    # command: fit (optional; default run)
    # args: extra command-line arguments (optional)
    # env: NAME=value ... (optional)

usage: test_corpus.py RTCASCADE [CONFIG_DIR]
"""
import os
import shlex
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def header(path):
    fields = {}
    with open(path, errors="replace") as f:  # a config may hold bytes that are not UTF-8
        for line in f:
            if not line.startswith("#"):
                break
            key, sep, value = line[1:].strip().partition(":")
            if sep and key.strip() in ("expect-exit", "expect-stderr", "args", "env", "command"):
                fields[key.strip()] = value.strip()
    return fields


def main():
    exe = os.path.abspath(sys.argv[1])
    cdir = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "configs")
    files = sorted(f for f in os.listdir(cdir) if f.endswith(".yaml"))
    failures = []
    for name in files:
        path = os.path.join(cdir, name)
        h = header(path)
        if "expect-exit" not in h or "expect-stderr" not in h:
            failures.append(f"{name}: header lacks expect-exit or expect-stderr")
            continue
        env = dict(os.environ)
        env.pop("RC_MEMORY_LIMIT", None)
        for assignment in shlex.split(h.get("env", "")):
            k, _, v = assignment.partition("=")
            env[k] = v
        with tempfile.TemporaryDirectory(prefix="rc_corpus_") as tmp:
            out = os.path.join(tmp, "results", "out.h5")
            cmd = [exe, h.get("command", "run"), path, "-o", out] + shlex.split(h.get("args", ""))
            try:
                p = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True,
                                   timeout=60, errors="replace")
            except subprocess.TimeoutExpired:
                failures.append(f"{name}: no answer within 60 s")
                continue
            left = [os.path.relpath(os.path.join(d, f), tmp)
                    for d, _, fs in os.walk(tmp) for f in fs]
        problems = []
        if p.returncode != int(h["expect-exit"]):
            problems.append(f"exit {p.returncode}, expected {h['expect-exit']}")
        if h["expect-stderr"] not in p.stderr:
            problems.append(f"stderr lacks {h['expect-stderr']!r}")
        if len(p.stderr.strip().splitlines()) != 1:
            problems.append("stderr is not exactly one line")
        if p.stdout.strip():
            problems.append(f"unexpected stdout {p.stdout.strip()[:200]!r}")
        if left:
            problems.append(f"left files behind: {left}")
        if problems:
            failures.append(f"{name}: " + "; ".join(problems) + f"\n    stderr: {p.stderr.strip()}")
        else:
            print(f"ok   {name}: exit {p.returncode}: {p.stderr.strip()[:150]}")
    for f in failures:
        print("FAIL " + f)
    print(f"{len(files) - len(failures)} of {len(files)} malformed configs rejected as expected")
    if len(files) < 25:
        print("FAIL the corpus should hold at least 25 configs")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
