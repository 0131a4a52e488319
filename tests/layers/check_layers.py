#!/usr/bin/env python3
"""Rules of the layered design (docs/design.md) that a compiler cannot check:

- no config tree (rc_cfg_*) in models/ or sim/graph/: models and graphs get typed structs;
- no OpenMP or MPI header in sim/cli: the command line only calls the library;
- sim/cli stays small (about 1,000 lines: it parses, prints and maps exit codes);
- no source file over about 700 lines and no function over about 120 lines, tests included,
  except the ones listed in EXCEPTIONS with the reason they must stay;
- no Python module of the package, the scripts or the examples over about 700 lines either.

usage: check_layers.py SOURCE_DIR"""
import os
import re
import sys

# "About" 700, 120 and 1,000: a few percent over is tolerated, not a doubling.
MAX_FILE_LINES = 735
MAX_FUNCTION_LINES = 130
MAX_CLI_LINES = 1050
# path relative to the source dir -> why it may be longer (files) ...
FILE_EXCEPTIONS = {
    "sim/io/config.c": "the YAML tree: parser, getters, setters and emitter share one private "
                       "node type and its invariants",
}
# ... and "path:function" -> why it may be longer.
FUNCTION_EXCEPTIONS = {
}

failures = []


def sources(root, folders, exts=(".c", ".h")):
    for folder in folders:
        for dirpath, _, files in os.walk(os.path.join(root, folder)):
            for f in sorted(files):
                if f.endswith(exts):
                    yield os.path.join(dirpath, f)


def rel(root, path):
    return os.path.relpath(path, root)


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    return re.sub(r'"(?:\\.|[^"\\\n])*"', '""', text)


def functions(text):
    """(name, first line, lines) of each top-level function body in C text."""
    code = strip_comments(text)
    out, depth, start, name = [], 0, None, None
    line = 1
    for i, ch in enumerate(code):
        if ch == "\n":
            line += 1
        elif ch == "{":
            if depth == 0:
                head = code[max(0, i - 300):i]
                m = re.search(r"(\w+)\s*\([^;{}]*\)\s*$", head, flags=re.S)
                name = m.group(1) if m else None
                start = line
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0 and name is not None and name not in ("if", "for", "while", "switch"):
                out.append((name, start, line - start + 1))
                name = None
    return out


def check(cond, what):
    if not cond:
        failures.append(what)


def main():
    root = os.path.abspath(sys.argv[1])
    for path in sources(root, ["models", "sim/graph"]):
        for n, l in enumerate(open(path), 1):
            check("rc_cfg_" not in l, f"{rel(root, path)}:{n}: the config tree is io's (rc_cfg_)")
    cli_lines = 0
    for path in sources(root, ["sim/cli"]):
        text = open(path).read()
        cli_lines += text.count("\n")
        check(not re.search(r"#\s*include\s*<(omp|mpi)\.h>", text),
              f"{rel(root, path)}: the CLI includes omp.h or mpi.h")
    check(cli_lines <= MAX_CLI_LINES, f"sim/cli has {cli_lines} lines (about 1,000 at most)")
    longest = []
    for path in sources(root, ["sim", "models", "tests"]):
        r = rel(root, path)
        text = open(path).read()
        n = text.count("\n")
        if n > MAX_FILE_LINES and r not in FILE_EXCEPTIONS:
            failures.append(f"{r}: {n} lines (about 700 at most)")
        if path.endswith(".c"):
            for name, start, length in functions(text):
                longest.append((length, f"{r}:{start} {name}"))
                if length > MAX_FUNCTION_LINES and f"{r}:{name}" not in FUNCTION_EXCEPTIONS:
                    failures.append(f"{r}:{start}: {name}() has {length} lines (about 120 at "
                                    f"most)")
    for path in sources(root, ["python", "scripts", "examples"], exts=(".py",)):
        n = open(path).read().count("\n")
        if n > MAX_FILE_LINES and rel(root, path) not in FILE_EXCEPTIONS:
            failures.append(f"{rel(root, path)}: {n} lines (about 700 at most)")
    longest.sort(reverse=True)
    print(f"sim/cli: {cli_lines} lines; longest functions: " +
          ", ".join(f"{w} ({n})" for n, w in longest[:3]))
    for f in failures:
        print("FAIL " + f)
    print(f"check_layers: {len(failures)} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
