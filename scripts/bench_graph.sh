#!/usr/bin/env bash
# Benchmark: build a 10^7-node directed power-law (Chung-Lu) graph with mean degree 20
# (about 2x10^8 edges), save it as an HDF5 cache, and reload it from the cache. Reports wall time
# (rtcascade's own "built in" line: generation + CSR build, or cache load) and the peak resident
# memory of the whole process against the final graph's size.
#   scripts/bench_graph.sh [NODES] [MEAN_DEGREE]     (defaults 10000000 20)
# BIN=path/to/rtcascade times another build; GEN=erdos_renyi|dcsbm|chung_lu (default chung_lu)
# another generator; FILE=edges.txt loads an edge list (direction: flows) instead.
set -euo pipefail
cd "$(dirname "$0")/.."
nodes=${1:-10000000}
mean=${2:-20}
bin=${BIN:-build/rtcascade}
[ -x $bin ] || { echo "build first: scripts/test.sh or cmake --build build" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cache=$tmp/graph.h5
gen=${GEN:-chung_lu}
case $gen in
  chung_lu) sets=(--set network.generator=chung_lu --set network.nodes=$nodes
                  --set network.mean_degree=$mean --set network.out_exponent=2.3
                  --set network.in_exponent=2.8 --set seed=1) ;;
  *) sets=(--set network.generator=$gen --set network.nodes=$nodes
           --set network.mean_degree=$mean --set seed=1) ;;
esac
if [ -n "${FILE:-}" ]; then
  gen="file $FILE"
  sets=(--set network.generator=file --set "network.path=$(realpath "$FILE")"
        --set network.direction=flows)
fi

run() { # label, then the command; prints the lines that matter
  local label=$1; shift
  /usr/bin/time -v "$@" >"$tmp/out" 2>"$tmp/time"
  local built mem rss edges nodes ids
  built=$(sed -n 's/^built in: *//p' "$tmp/out")
  mem=$(sed -n 's/^memory: *//p' "$tmp/out")
  edges=$(sed -n 's/^edges: *//p' "$tmp/out")
  nodes=$(sed -n 's/^nodes: *//p' "$tmp/out")
  ids=$([ -n "${FILE:-}" ] && echo 8 || echo 0) # a loaded graph keeps each node's original id
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/time")
  # The graph's own bytes: 8 per directed edge (both directions) and 16 per node (+8 with ids).
  printf '%-24s %10s  edges %s  graph %-10s  peak RSS %s = %sx the graph\n' "$label" "$built" \
    "$edges" "$mem" "$(awk -v k="$rss" 'BEGIN { printf "%.2f GiB", k / 1048576 }')" \
    "$(awk -v k="$rss" -v m="$edges" -v n="$nodes" -v i="$ids" \
       'BEGIN { printf "%.2f", k * 1024 / (8 * m + (16 + i) * (n + 1)) }')"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "threads: ${OMP_NUM_THREADS:-all}; graph: $gen nodes=$nodes mean_degree=$mean;" \
  "load $(cut -d' ' -f1-3 /proc/loadavg)"
run "build (generate + CSR)" $bin graph "${sets[@]}"
run "build and save cache" $bin graph "${sets[@]}" --set network.cache="$cache"
run "reload from cache" $bin graph "${sets[@]}" --set network.cache="$cache"
ls -l "$cache" | awk '{printf "cache file: %.2f GiB\n", $5/1073741824}'
