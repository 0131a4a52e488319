#!/usr/bin/env bash
# Benchmark at the scale of the 2009 Twitter graph: a directed Chung-Lu network of 41.7 million
# accounts and about 1.47 billion follow edges (Kwak, Lee, Park & Moon 2010, "What is Twitter, a
# social network or a news media?", WWW: 41.7 million user profiles, 1.47 billion social
# relations, follower counts fitted by a power law of exponent 2.276 below 10^5), followers and
# followees both drawn with exponent 2.276, then the three authors of the default study on it.
#   1. build the network and save it as a graph cache: time and peak RSS (/usr/bin/time -v);
#   2. rtcascade run of the study's three authors, 200 runs each, on THREADS threads, with the
#      network reloaded from the cache: reload time, run time, peak RSS;
#   3. the cache is deleted.
# The authors as in configs/handpicked_vs_broadcast.yaml, adapted to a network without
# communities: 250 hand-picked top accounts (top_followers) at 15% engagement, 2,000 random
# followers at 1%, and a celebrity with 3,000,000 random followers at 0.05%; model.p = 0.02,
# below the cascade threshold of this network (1 / mean degree 35.3 = 0.028; the study's 0.035
# would be supercritical here and each run would touch tens of millions of accounts).
#
# Needs about 13 GiB of memory (the graph is 11.6 GiB) and, for the cache, 12 GiB of disk: the
# script refuses to start with under 20 GiB available, or skips the cache with under 40 GB free
# on the cache's file system (then step 2 builds the network again).
#   scripts/bench_twitter_scale.sh [BINARY] [THREADS] [CACHE_DIR]
#   defaults: build/rtcascade, 2, /work/tmp (or $TMPDIR)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/rtcascade}
threads=${2:-2}
cache_dir=${3:-$([ -d /work/tmp ] && echo /work/tmp || echo "${TMPDIR:-/tmp}")}
[ -x "$bin" ] || { echo "build first (cmake --build build), or name the binary" >&2; exit 1; }
avail=$(free -g | awk '/^Mem:/ {print $7}')
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //');" \
  "$(free -g | awk '/^Mem:/ {print $2}') GiB, $avail GiB available; load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$avail" -lt 20 ]; then
  echo "only $avail GiB available, 20 needed: not started" >&2
  exit 2
fi
tmp=$(mktemp -d)
cache="$cache_dir/rc_twitter_scale_$$.h5"
trap 'rm -rf "$tmp" "$cache"' EXIT
free_gb=$(df -BG --output=avail "$cache_dir" | tail -1 | tr -dc 0-9)
use_cache=1
if [ "$free_gb" -lt 40 ]; then
  echo "only $free_gb GB free in $cache_dir: the cache steps are skipped" >&2
  use_cache=0
fi

network="{generator: chung_lu, nodes: 41700000, mean_degree: 35.2518, out_exponent: 2.276,
          in_exponent: 2.276, seed: 1}"
cat >"$tmp/twitter.yaml" <<YAML
name: twitter_scale
seed: 42
runs: 200
network: $network
model: {name: independent_cascade, p: 0.02}
scenarios:
  handpicked: {audience: {size: 250, pick: top_followers, engagement: 0.15}}
  broadcast: {audience: {size: 2000, pick: random, engagement: 0.01}}
  celebrity: {audience: {size: 3000000, pick: random, engagement: 0.0005}}
YAML
[ "$use_cache" = 1 ] && sed -i "s|^network: {|network: {cache: $cache, |" "$tmp/twitter.yaml"

peak() { # peak RSS in GiB from a /usr/bin/time -v log
  awk '/Maximum resident set size/ { printf "%.2f GiB", $NF / 1048576 }' "$1"
}
wall() { # elapsed wall time from a /usr/bin/time -v log
  awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$1"
}

if [ "$use_cache" = 1 ]; then
  /usr/bin/time -v "$bin" graph "$tmp/twitter.yaml" --threads "$threads" >"$tmp/graph.out" \
    2>"$tmp/graph.time" || { cat "$tmp/graph.out" "$tmp/graph.time" >&2; exit 1; }
  echo "build + save the cache: $(wall "$tmp/graph.time") wall (build alone:" \
    "$(sed -n 's/^built in: *//p' "$tmp/graph.out")), peak RSS $(peak "$tmp/graph.time")"
  grep -E '^(nodes|edges|memory|max out-degree|max in-degree|out-degree tail|in-degree tail):' \
    "$tmp/graph.out" | sed 's/^/  /'
  ls -l "$cache" | awk '{ printf "  cache file: %.2f GiB\n", $5 / 1073741824 }'
fi
/usr/bin/time -v "$bin" run "$tmp/twitter.yaml" -o "$tmp/out/twitter.h5" --threads "$threads" \
  --quiet --verbose --no-figures >"$tmp/run.out" 2>"$tmp/run.err" ||
  { cat "$tmp/run.out" "$tmp/run.err" >&2; exit 1; }
timing=$(grep '^timing:' "$tmp/run.err")
echo "run (3 authors x 200 runs, $threads threads): $(wall "$tmp/run.err") wall," \
  "peak RSS $(peak "$tmp/run.err")"
echo "  $timing"
echo "  network $([ "$use_cache" = 1 ] && echo "reloaded from the cache" || echo "built"):" \
  "$(echo "$timing" | sed -n 's/.*networks built \([0-9.]*\) s.*/\1 s/p')"
/usr/bin/python3 - "$tmp/out/twitter.h5" <<'PY' || true
import sys
import h5py
with h5py.File(sys.argv[1]) as f:
    s = f["summary"][()]
    for row in s:
        print(f"  {row['scenario'].decode():10s} reach mean {row['reach_mean']:12.1f}"
              f" (se {row['reach_se']:.1f}), retweets mean {row['retweets_mean']:9.1f},"
              f" max reach {row['reach_max']:.0f}")
PY
