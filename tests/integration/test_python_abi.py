#!/usr/bin/env python3
"""The ctypes mirrors of python/rtcascade/_lib.py match the C headers, field for field.

Each mirror says which struct it copies (`class X(ctypes.Structure):  # rc_x_t, header.h`). This
test writes a C program that prints, for every mirrored field, the offset and size the compiler
gives it (and the struct's size, unless the comment says only "the leading fields" are read),
compiles it against the public headers and compares with what ctypes computed. A field added to
a header without its mirror (which shifts the fields after it, and makes Python read the wrong
memory) fails here, naming the struct and the field.

usage: test_python_abi.py CC INCLUDE_DIR [INCLUDE_DIR...]   (rtcascade importable)"""
import ctypes
import inspect
import keyword
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rcitest import check, finish  # noqa: E402

from rtcascade import _lib  # noqa: E402

MIRROR = re.compile(r"^class (\w+)\(ctypes\.Structure\):\s*#\s*(rc_\w+_t),\s*([\w/]+\.h)(.*)$")


def mirrors():
    """(class, C type, header, whole) for each mirrored struct in _lib.py."""
    found = []
    for line in inspect.getsource(_lib).splitlines():
        m = MIRROR.match(line)
        if m:
            found.append((getattr(_lib, m.group(1)), m.group(2), m.group(3),
                          "leading fields" not in m.group(4)))
    return found


def c_name(field):
    """The C name of a mirrored field: a Python keyword gets a trailing _ (global -> global_)."""
    return field[:-1] if field.endswith("_") and keyword.iskeyword(field[:-1]) else field


def c_program(found):
    lines = ["#include <stddef.h>", "#include <stdio.h>"]
    for header in sorted({h for _, _, h, _ in found}):
        lines.append(f'#include "rtcascade/{header}"')
    lines.append("int main(void)\n{")
    for cls, ctype, _, whole in found:
        if whole:
            lines.append(f'    printf("{cls.__name__} . %zu\\n", sizeof({ctype}));')
        for name, _ in cls._fields_:
            cn = c_name(name)
            lines.append(f'    printf("{cls.__name__} {name} %zu %zu\\n", '
                         f'offsetof({ctype}, {cn}), sizeof((({ctype} *)0)->{cn}));')
    lines.append("    return 0;\n}")
    return "\n".join(lines) + "\n"


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    cc, includes = sys.argv[1], sys.argv[2:]
    found = mirrors()
    check(len(found) >= 10, f"the mirrors are found in _lib.py ({len(found)})")
    with tempfile.TemporaryDirectory() as tmp:
        src, exe = os.path.join(tmp, "abi.c"), os.path.join(tmp, "abi")
        with open(src, "w") as f:
            f.write(c_program(found))
        p = subprocess.run([cc, "-std=c11", *[f"-I{i}" for i in includes], src, "-o", exe],
                           capture_output=True, text=True)
        check(p.returncode == 0, f"every mirrored field exists in its header: {p.stderr[-600:]}")
        if p.returncode != 0:
            return finish("test_python_abi")
        out = subprocess.run([exe], capture_output=True, text=True, check=True).stdout
    c = {}
    for line in out.splitlines():
        parts = line.split()
        c[(parts[0], parts[1])] = tuple(int(x) for x in parts[2:])
    for cls, ctype, header, whole in found:
        name = cls.__name__
        if whole:
            check(c[(name, ".")][0] == ctypes.sizeof(cls),
                  f"{ctype} ({header}) is {c[(name, '.')][0]} bytes, its mirror {name} "
                  f"{ctypes.sizeof(cls)}: a field is missing from the mirror")
        for field, ftype in cls._fields_:
            off, size = c[(name, field)]
            mine = (getattr(cls, field).offset, ctypes.sizeof(ftype))
            check((off, size) == mine,
                  f"{ctype}.{field} ({header}): offset {off} size {size} in C, "
                  f"{mine[0]} {mine[1]} in {name}")
    return finish("test_python_abi")


if __name__ == "__main__":
    sys.exit(main())
