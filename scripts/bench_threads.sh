#!/usr/bin/env bash
# Benchmark: OpenMP strong scaling of one process over threads: the sweep of bench_io.sh
# (100 points x 1,000 runs of the independent cascade on a 10^5-node G(n, m), p log-spaced
# across the threshold) with --threads 1, 2, 4, ... up to the core count. Prints wall time,
# speedup and parallel efficiency. (That the files are identical for every thread count is
# what the ctest thread-invariance tests check; this script only times.)
#   scripts/bench_threads.sh [BINARY] [MAX_THREADS]
# Needs nothing but the binary, so a statically linked build (-DRC_STATIC=ON) can be copied to
# a bigger machine and measured there.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/rtcascade}
max=${2:-$(nproc)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/sweep.yaml" <<YAML
name: bench_threads
seed: 1
runs: 1000
network: {generator: erdos_renyi, nodes: 100000, mean_degree: 5}
model: {name: independent_cascade, p: 0.1}
seeds: {strategy: random, count: 1}
sweep:
  model.p: {from: 0.02, to: 0.3, num: 100, log: true}
YAML
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "sweep: 100 points x 1000 runs, independent cascade, erdos_renyi n=10^5, mean degree 5"
printf '%8s %10s %8s %10s\n' threads wall_s speedup efficiency
t=1
base=""
while [ "$t" -le "$max" ]; do
  s=$(date +%s.%N)
  OMP_WAIT_POLICY=passive "$bin" run "$tmp/sweep.yaml" -o "$tmp/t$t.h5" --threads "$t" --quiet \
    --no-figures >/dev/null
  e=$(date +%s.%N)
  wall=$(awk -v a="$s" -v b="$e" 'BEGIN { printf "%.2f", b - a }')
  [ -z "$base" ] && base=$wall
  awk -v t="$t" -v w="$wall" -v b="$base" \
    'BEGIN { printf "%8d %10.2f %8.2f %9.0f%%\n", t, w, b / w, 100 * b / w / t }'
  t=$((t * 2))
done
