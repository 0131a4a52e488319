#!/usr/bin/env bash
# `cmake --install` into a temporary prefix gives headers, the library, the CLI and a
# rtcascade.pc with which a small C program builds, links and runs.
#   install_pkgconfig.sh BUILD_DIR C_COMPILER
set -euo pipefail
build=$1
cc=${2:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
pc=$(dirname "$(find "$tmp/prefix" -name rtcascade.pc | head -n 1)")
cat >"$tmp/t.c" <<'C'
#include <rtcascade/graph.h>
#include <stdio.h>
int main(void)
{
    rc_graph_t *g = NULL;
    if (rc_gen_star(5, 0, &g) != RC_OK)
        return 1;
    printf("%u %llu\n", g->n, (unsigned long long)g->m);
    rc_graph_free(g);
    return 0;
}
C
# shellcheck disable=SC2046
"$cc" "$tmp/t.c" -o "$tmp/t" $(PKG_CONFIG_PATH=$pc pkg-config --cflags --libs --static rtcascade)
out=$("$tmp/t")
[ "$out" = "5 4" ] || { echo "expected '5 4', got '$out'"; exit 1; }
[ -x "$tmp/prefix/bin/rtcascade" ] || { echo "rtcascade not installed"; exit 1; }
echo "install_pkgconfig: 1 passed, 0 failed"
