#!/usr/bin/env bash
# Before/after: two builds of rtcascade (e.g. a release and this tree) timed in turn on the same
# machine, so that load drifts hit both alike:
#   1. the engine alone (tests/rc_bench_ic: directed G(n = 10^6, m = 10^7), IC p = 0.12, single
#      random seeds, one thread; the newer build's per_run kernel, the one both have);
#   2. the default study (rtcascade run, embedded config, 2 threads, no figures): wall time and
#      peak RSS (/usr/bin/time).
#   scripts/bench_compare.sh OLD_BUILD [NEW_BUILD] [REPEAT]     (defaults: build, 3)
# Prints one line per measurement; docs/benchmarks.md quotes the medians.
set -euo pipefail
cd "$(dirname "$0")/.."
old=${1:?usage: scripts/bench_compare.sh OLD_BUILD [NEW_BUILD] [REPEAT]}
new=${2:-build}
repeat=${3:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for b in "$old" "$new"; do
  [ -x "$b/rtcascade" ] && [ -x "$b/tests/rc_bench_ic" ] ||
    { echo "bench_compare: $b lacks rtcascade or tests/rc_bench_ic (build it first)" >&2; exit 1; }
done
echo "machine: $(nproc) cores, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$repeat"); do
  for b in "$old" "$new"; do
    kernel=()
    if "$b/tests/rc_bench_ic" --help 2>&1 | grep -q -- --kernel; then kernel=(--kernel per_run); fi
    line=$("$b/tests/rc_bench_ic" --nodes 1000000 --edges 10000000 --p 0.12 --runs 200 \
             --threads 1 --seed 1 "${kernel[@]}" 2>&1 | tail -1)
    # the JSON line's edge trials and activations per second
    echo "engine  $b: $(echo "$line" | grep -oE '"(edge_trials|activations)_per_s": [0-9.e+]+' |
      tr '\n' ' ')"
  done
done
for i in $(seq "$repeat"); do
  for b in "$old" "$new"; do
    t=$( { OMP_NUM_THREADS=2 /usr/bin/time -f "%e s, peak RSS %M KiB" "$b/rtcascade" run \
           -o "$tmp/study.h5" --force --quiet --no-figures >/dev/null; } 2>&1 | tail -1)
    echo "study   $b: $t"
  done
done
