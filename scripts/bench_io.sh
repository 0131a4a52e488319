#!/usr/bin/env bash
# Benchmark: what the HDF5 results file costs. Runs a sweep of 100 points x 1,000 runs of the
# independent cascade on a 10^5-node G(n, m) (p log-spaced across the epidemic threshold, so
# points range from tiny to giant cascades) and reports, from `rtcascade run --verbose`, the
# time the run spent on the results file (waiting for the background point writer, network
# records, create/close; journal fsyncs included) against the total. Target: under 5%.
#   scripts/bench_io.sh [BINARY] [THREADS] [POINTS] [RUNS] [P_MAX]
#       (defaults build/rtcascade, all, 100, 1000, 0.3)
# Large tables: `scripts/bench_io.sh build/rtcascade 2 20 1000000 0.15` (2x10^7 runs of small,
# subcritical cascades, where writing is the largest share). With FILTERS=1 the script then
# times each chunk size and filter choice on the file's own /runs rows
# (scripts/bench_io_filters.py, needs /usr/bin/python3 with h5py); KEEP=PATH keeps the file.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/rtcascade}
threads=${2:-0}
points=${3:-100}
runs=${4:-1000}
pmax=${5:-0.3}
[ -x "$bin" ] || { echo "build first (cmake --build build), or name the binary" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/bench_io.yaml" <<YAML
name: bench_io
seed: 1
runs: $runs
network: {generator: erdos_renyi, nodes: 100000, mean_degree: 5}
model: {name: independent_cascade, p: 0.1}
seeds: {strategy: random, count: 1}
sweep:
  model.p: {from: 0.02, to: $pmax, num: $points, log: true}
YAML
args=("$tmp/bench_io.yaml" -o "$tmp/out/bench_io.h5" --quiet --verbose)
[ "$threads" != 0 ] && args+=(--threads "$threads")
start=$(date +%s.%N)
"$bin" run "${args[@]}" >"$tmp/stdout" 2>"$tmp/stderr" || { cat "$tmp/stderr" >&2; exit 1; }
end=$(date +%s.%N)
timing=$(grep '^timing:' "$tmp/stderr")
size=$(stat -c %s "$tmp/out/bench_io.h5")
echo "sweep: $points points x $runs runs (p 0.02-$pmax), erdos_renyi n=10^5 mean degree 5," \
  "threads ${threads/#0/default}; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wall (process): $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f s", b - a }')"
echo "$timing"
awk -v s="$size" -v p="$points" 'BEGIN { printf "file: %.1f MiB (%.1f KiB per point)\n", s / 1048576, s / 1024 / p }'
# Per-point costs: what the run loop waited for (the overhead), and the writer's own time
# (hidden behind the next point's runs while it is shorter than them).
echo "$timing" | awk -v p="$points" '{
  for (i = 1; i <= NF; i++) {
    if ($i == "writes" && $(i + 1) != "in") w = $(i + 1)
    if ($i == "background") b = $(i + 1)
  }
  printf "per point: waited %.2f ms for the writer; writer busy %.2f ms\n", 1000 * w / p, 1000 * b / p }'
if [ "${FILTERS:-0}" = 1 ]; then
  /usr/bin/python3 scripts/bench_io_filters.py "$tmp/out/bench_io.h5" --dir "$tmp"
fi
if [ -n "${KEEP:-}" ]; then
  cp "$tmp/out/bench_io.h5" "$KEEP"
fi
