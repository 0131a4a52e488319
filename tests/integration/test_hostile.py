#!/usr/bin/env python3
"""Hostile inputs too large or too odd for the corpus files (tests/integration/configs): each is
made here, and must give a clear result in bounded time and memory.

- 90,000 distinct keys and then a duplicate: the duplicate is found in linear time (under a
  second in a Release build; the limit, 30 s, leaves room for sanitizers, while a quadratic
  check takes minutes);
  200,000 keys: refused at the per-map limit;
- deep nesting in flow and block style and in a --set value: one line, exit 3;
- a 10 MB `name`: one short line that ends with its reason;
- --set of a swept key fixes it (--dry-run shows one value), and its value is checked;
- resolved_config of a file is valid YAML (PyYAML) that means what the config means, whatever
  the scenario names and control characters;
- a million-point sweep under a 1 GiB memory limit: refused at once for its memory (exit 6);
- `p: 1e-320` (a subnormal number) is accepted; `nodes: 0x10` is not;
- edge lists: text after the gzip stream, a damaged gzip stream (named by its path, not
  <fd:N>), a UTF-8 byte-order mark (accepted).

usage: test_hostile.py RTCASCADE"""
import gzip
import os
import shutil
import subprocess
import sys
import tempfile
import time

import h5py
import yaml

from rcitest import check, finish

BASE = """seed: 1
runs: 10
network: {generator: erdos_renyi, nodes: 200, mean_degree: 3}
model: {name: independent_cascade, p: 0.1}
"""


def rtc(exe, args, cwd, timeout=60, env=None):
    t = time.time()
    try:
        p = subprocess.run([exe] + args, cwd=cwd, capture_output=True, text=True,
                           timeout=timeout, env=env, errors="replace")
    except subprocess.TimeoutExpired:
        return None, timeout
    return p, time.time() - t


def expect(exe, tmp, name, text, code, needle, args=(), timeout=60, env=None, limit_s=None,
           mode="w"):
    path = os.path.join(tmp, name)
    with open(path, mode) as f:
        f.write(text)
    p, secs = rtc(exe, ["run", name, "--dry-run"] + list(args), tmp, timeout, env)
    what = f"{name} {' '.join(args)}".strip()
    what = what if len(what) < 100 else what[:97] + "..."
    if not check(p is not None, f"{what}: no answer within {timeout} s"):
        return None
    err = p.stderr.strip()
    check(p.returncode == code, f"{what}: exit {p.returncode}, expected {code}: {err[:300]}")
    if needle is not None:
        check(needle in err, f"{what}: stderr lacks {needle!r}: {err[:300]}")
    if code != 0:
        check(len(err.splitlines()) == 1, f"{what}: stderr is not one line: {err[:300]!r}")
    if limit_s is not None:
        check(secs < limit_s, f"{what}: took {secs:.1f} s (limit {limit_s} s)")
    print(f"ok?  {what}: exit {p.returncode} in {secs:.2f} s: {err[:140]}")
    return p


def main():
    exe = os.path.abspath(sys.argv[1])
    tmp = tempfile.mkdtemp(prefix="rc_hostile_")
    try:
        # --- 9: duplicate keys in linear time; key-count limit ---
        keys = "".join(f"  k{i}: {i}\n" for i in range(90000))
        expect(exe, tmp, "dup.yaml", BASE + "scenarios:\n  base: {}\nextra:\n" + keys + "  k5: 1\n",
               3, "duplicate key 'k5'", limit_s=30)
        keys = "".join(f"  k{i}: {i}\n" for i in range(200000))
        expect(exe, tmp, "many.yaml", BASE + "extra:\n" + keys, 3, "more than 100000 keys",
               limit_s=30)
        # --- 6: nesting ---
        expect(exe, tmp, "deep_flow.yaml", BASE + "name: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n",
               3, "nested deeper than 64 levels", limit_s=10)
        block = "".join(" " * i + f"k{i}:\n" for i in range(200)) + " " * 200 + "x: 1\n"
        expect(exe, tmp, "deep_block.yaml", BASE + "extra:\n" + " " + block.replace("\n", "\n "),
               3, "nested deeper than 64 levels", limit_s=10)
        expect(exe, tmp, "deep_set.yaml", BASE, 3, "nested deeper than 64 levels",
               args=["--set", "model.p=" + "[" * 20000 + "]" * 20000], limit_s=10)
        # --- 11: a 10 MB name: the reason survives ---
        p = expect(exe, tmp, "longname.yaml", BASE + "name: " + "x" * (10 << 20) + "\n", 3,
                   "longer than", limit_s=20)
        if p is not None:
            check(len(p.stderr) < 600, f"longname.yaml: message of {len(p.stderr)} characters")
        # --- 7: --set of a swept key ---
        sweep = BASE + "sweep:\n  model.p: [0.02, 0.035, 0.05]\n"
        p = expect(exe, tmp, "swept.yaml", sweep, 0, None, args=["--set", "model.p=0.999"])
        if p is not None:
            out = p.stdout
            check("points:      1\n" in out and "0.035" not in out,
                  f"--set model.p=0.999 on a swept key: the dry run still sweeps: {out[:400]}")
        expect(exe, tmp, "swept.yaml", sweep, 3, "expected a number, got 'abc'",
               args=["--set", "model.p=abc"])
        scen = BASE + ("scenarios:\n  a: {model: {p: 0.2}, sweep: {seeds.count: [1, 2]}}\n"
                       "  b: {}\nsweep:\n  model.p: [0.02, 0.05]\n")
        p = expect(exe, tmp, "swept2.yaml", scen, 0, None,
                   args=["--set", "model.p=0.3", "--set", "seeds.count=3"])
        if p is not None:
            check("points:      2\n" in p.stdout and "0.02" not in p.stdout,
                  f"--set on keys swept or set by scenarios: {p.stdout[:500]}")
            p, _ = rtc(exe, ["run", "swept2.yaml", "-o", "swept2.h5", "--quiet", "--no-figures",
                             "--set", "model.p=0.3", "--set", "seeds.count=3"], tmp)
            if check(p is not None and p.returncode == 0, "swept2.yaml: run failed"):
                with h5py.File(os.path.join(tmp, "swept2.h5"), "r") as f:
                    resolved = yaml.safe_load(f.attrs["resolved_config"].decode())
                check(resolved["model"]["p"] == 0.3 and
                      resolved["scenarios"]["a"]["model"]["p"] == 0.3 and
                      "model.p" not in (resolved.get("sweep") or {}) and
                      "seeds.count" not in (resolved["scenarios"]["a"].get("sweep") or {}),
                      f"--set did not win over the sweeps and scenarios: {resolved}")
        # --- 8: resolved_config is YAML meaning what the config means ---
        cfg = (BASE + 'name: "a\\x01b\\u0080c"\n'
               'scenarios:\n  "#hash": {}\n  "k: v": {seeds: {count: 2}}\n  "- dash": {}\n'
               '  "tab\\tin": {}\n  "[x]": {}\n  "": {}\n')
        with open(os.path.join(tmp, "names.yaml"), "w") as f:
            f.write(cfg)
        p, _ = rtc(exe, ["run", "names.yaml", "-o", "names.h5", "--quiet", "--no-figures"], tmp)
        if check(p is not None and p.returncode == 0,
                 f"names.yaml: run failed: {p and p.stderr.strip()[:300]}"):
            with h5py.File(os.path.join(tmp, "names.h5"), "r") as f:
                text = f.attrs["resolved_config"]
            text = text.decode() if isinstance(text, bytes) else text
            try:
                got = yaml.safe_load(text)
                check(got == yaml.safe_load(cfg),
                      f"resolved_config means something else: {text!r}")
            except yaml.YAMLError as e:
                check(False, f"resolved_config is not YAML ({e}): {text!r}")
        # --- 10: a million-point sweep, memory checked first ---
        env = dict(os.environ, RC_MEMORY_LIMIT="1G")
        expect(exe, tmp, "huge.yaml",
               BASE + "sweep:\n  model.p: {from: 0.0, to: 0.5, num: 1000000}\n", 6,
               "a sweep of 1000000 points needs", env=env, limit_s=20)
        # --- 11: numbers ---
        expect(exe, tmp, "subnormal.yaml", BASE.replace("p: 0.1", "p: 1e-320"), 0, None)
        expect(exe, tmp, "hex.yaml", BASE.replace("nodes: 200", "nodes: 0x10"), 3,
               "expected a non-negative integer, got '0x10'")
        # --- 11: edge lists ---
        edges = "".join(f"{i} {i + 1}\n" for i in range(50))
        with gzip.open(os.path.join(tmp, "trail.txt.gz"), "wb") as f:
            f.write(edges.encode())
        with open(os.path.join(tmp, "trail.txt.gz"), "ab") as f:
            f.write(b"this text is not part of the gzip stream\n")
        gargs = ["graph", "--set", "network.generator=file", "--set", "network.direction=flows"]
        p, _ = rtc(exe, gargs + ["--set", "network.path=trail.txt.gz"], tmp)
        check(p is not None and p.returncode == 4 and "after the gzip stream" in p.stderr,
              f"text after a gzip stream: {p and (p.returncode, p.stderr.strip()[:200])}")
        raw = gzip.compress(edges.encode())
        with open(os.path.join(tmp, "broken.txt.gz"), "wb") as f:
            f.write(raw[:20] + bytes([raw[20] ^ 0xFF]) + raw[21:])
        p, _ = rtc(exe, gargs + ["--set", "network.path=broken.txt.gz"], tmp)
        check(p is not None and p.returncode == 4 and "broken.txt.gz" in p.stderr
              and "<fd:" not in p.stderr,
              f"damaged gzip: {p and (p.returncode, p.stderr.strip()[:200])}")
        with open(os.path.join(tmp, "bom.txt"), "wb") as f:
            f.write(b"\xef\xbb\xbf" + edges.encode())
        p, _ = rtc(exe, gargs + ["--set", "network.path=bom.txt"], tmp)
        check(p is not None and p.returncode == 0 and "51" in p.stdout,
              f"edge list with a byte-order mark: {p and (p.returncode, p.stderr.strip()[:200])}")
        with open(os.path.join(tmp, "bad.txt"), "wb") as f:
            f.write(b"0 1\n1 \xc2\xa02\n")
        p, _ = rtc(exe, gargs + ["--set", "network.path=bad.txt"], tmp)
        check(p is not None and p.returncode == 4 and "\\xc2\\xa0" in p.stderr,
              f"an invisible character is shown as bytes: {p and p.stderr.strip()[:200]}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return finish("test_hostile")


if __name__ == "__main__":
    sys.exit(main())
