#!/usr/bin/env bash
# `cmake --install` into a temporary prefix gives the CLI, every public header, the shared and
# static libraries, a CMake package and a pkg-config file; a program outside the project
# (tests/consumer) builds and runs against it four ways: CMake find_package with the shared and
# with the static library, pkg-config with the shared and with the static library. With PYTHON
# and SITE (the package's folder below the prefix), the installed Python package too: imported
# from there, it loads the installed library, not the build's, and runs the engine.
#   install_consumer.sh BUILD_DIR C_COMPILER [PYTHON SITE]
set -euo pipefail
build=$1
cc=${2:-cc}
python=${3:-}
site=${4:-}
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
prefix=$tmp/prefix
libdir=$(dirname "$(find "$prefix" -name 'librtcascade.a' | head -n 1)")
[ -x "$prefix/bin/rtcascade" ] || { echo "rtcascade not installed"; exit 1; }
ls "$libdir"/librtcascade.so.* >/dev/null || { echo "no shared library installed"; exit 1; }
expect="mean retweets 49"
passed=0
check() { # NAME BINARY
  out=$("$2") || { echo "$1: exit $?"; exit 1; }
  case "$out" in *"$expect"*) passed=$((passed + 1)); echo "ok   $1: $out" ;;
                 *) echo "FAIL $1: '$out'"; exit 1 ;; esac
}
# CMake: find_package(rtcascade) and rtcascade::rtcascade / rtcascade::rtcascade_static
cmake -S "$here/consumer" -B "$tmp/cm" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_COMPILER="$cc" \
  -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$tmp/cm" >/dev/null
check "cmake shared" "$tmp/cm/consumer_shared"
check "cmake static" "$tmp/cm/consumer_static"
# pkg-config
pc=$(dirname "$(find "$prefix" -name rtcascade.pc | head -n 1)")
# shellcheck disable=SC2046
"$cc" "$here/consumer/consumer.c" -o "$tmp/pc_shared" \
  $(PKG_CONFIG_PATH=$pc pkg-config --cflags --libs rtcascade) -Wl,-rpath,"$libdir"
check "pkg-config shared" "$tmp/pc_shared"
static_libs=$(PKG_CONFIG_PATH=$pc pkg-config --static --libs rtcascade | sed 's/-lrtcascade//')
# shellcheck disable=SC2086
"$cc" "$here/consumer/consumer.c" -o "$tmp/pc_static" \
  $(PKG_CONFIG_PATH=$pc pkg-config --cflags rtcascade) "$libdir/librtcascade.a" $static_libs
check "pkg-config static" "$tmp/pc_static"
if ldd "$tmp/pc_static" | grep -q librtcascade; then echo "pc_static uses the shared library"; exit 1; fi
if [ -n "$python" ]; then
  # from another folder, with nothing of the build on the path
  out=$(cd "$tmp" && env -u RTCASCADE_LIBRARY PYTHONPATH="$prefix/$site" "$python" -c '
import rtcascade, sys
g = rtcascade.Graph.generate({"generator": "star", "nodes": 50})
df = rtcascade.simulate(g, {"name": "independent_cascade", "p": 1}, seeds=[0], runs=3)
print(rtcascade.__file__, rtcascade.library_path(), int(df["size"].min()))') ||
    { echo "FAIL python: the installed package does not run"; exit 1; }
  case "$out" in
    "$prefix/$site/rtcascade/__init__.py $prefix/"*"/librtcascade.so."*" 50")
      passed=$((passed + 1)); echo "ok   python: $out" ;;
    *) echo "FAIL python: '$out' (expected the package and library under $prefix)"; exit 1 ;;
  esac
fi
echo "install_consumer: $passed passed, 0 failed"
