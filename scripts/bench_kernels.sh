#!/usr/bin/env bash
# Benchmark: when does the fused kernel pay? For each network family and probability below, one
# `rtcascade run` per kernel (engine.kernel per_run and fused; 256 runs of the independent
# cascade from one random seed, one thread, pinned to one CPU), the two kernels alternately
# twice, and the runs' seconds from --verbose; then how far a group of 64 runs shares its
# follower reads (rc_bench_sharing: lanes per visit by generation, reads saved) on the same
# network. docs/benchmarks.md ("What auto would need to know") has the table this prints.
#   scripts/bench_kernels.sh [BUILD_DIR] [CPU]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
cpu=${2:-1}
bin=$build/rtcascade
sharing=$build/tests/rc_bench_sharing
for f in "$bin" "$sharing"; do
  [ -x "$f" ] || { echo "bench_kernels.sh: $f is missing (build the project first)" >&2; exit 2; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ER='{generator: erdos_renyi, nodes: 100000, edges: 1000000, seed: 1}'
CL='{generator: chung_lu, nodes: 100000, mean_degree: 10, seed: 1}'
CLC='{generator: chung_lu, nodes: 100000, mean_degree: 10, correlated: true, seed: 1}'
DC='{generator: dcsbm, nodes: 100000, mean_degree: 10, closure: 0.3, reciprocity: 0.2, seed: 1}'
WS='{generator: watts_strogatz, nodes: 100000, neighbours: 5, seed: 1}'
CASES=("$ER|0.12 0.2 0.3 0.5" "$CL|0.2 0.3 0.5" "$CLC|0.1 0.3" "$DC|0.1 0.2 0.4" "$WS|0.3 0.6")

runs_seconds() { # CONFIG -> the runs' seconds of its --verbose timing line
  rm -f "$tmp/out.h5"
  taskset -c "$cpu" "$bin" run "$1" -o "$tmp/out.h5" --threads 1 --verbose 2>&1 |
    sed -n 's/.*; runs \([0-9.]*\) s.*/\1/p'
}

printf '%s\n' "network | p | per_run s | fused s | fused speed | lanes per visit | reads saved"
for c in "${CASES[@]}"; do
  net=${c%%|*}
  for p in ${c#*|}; do
    for k in per_run fused; do
      cat >"$tmp/$k.yaml" <<YAML
name: bench_kernels
seed: 7
runs: 256
network: $net
model: {name: independent_cascade, p: $p}
seeds: {strategy: random, count: 1}
engine: {kernel: $k}
YAML
    done
    times=""
    for rep in 1 2; do
      times="$times $(runs_seconds "$tmp/per_run.yaml") $(runs_seconds "$tmp/fused.yaml")"
    done
    share=$("$sharing" --network "$net" --p "$p" --groups 4 | head -1)
    lanes=$(echo "$share" | sed -n 's/.*"lanes_per_visit": \([0-9.]*\).*/\1/p')
    saved=$(echo "$share" | sed -n 's/.*"reads_saved": \([0-9.]*\).*/\1/p')
    echo "$times" | awk -v net="$net" -v p="$p" -v l="$lanes" -v r="$saved" \
      '{ tp = ($1 + $3) / 2; tf = ($2 + $4) / 2;
         printf "%s | %s | %.2f | %.2f | %.2fx | %s | %s\n", net, p, tp, tf, tp / tf, l, r }'
  done
done
