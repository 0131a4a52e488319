#!/usr/bin/env bash
# Benchmark: strong scaling of `rtcascade run` over MPI ranks. One fixed sweep — 40 points x 2,000
# runs of the independent cascade on a 10^5-node G(n, m) of mean degree 5, p log-spaced from 0.02
# to 0.3 across the epidemic threshold (p = 0.2), so that points differ in cost by orders of
# magnitude — runs on 1, 2, 4 ... ranks of THREADS OpenMP threads each. Prints per rank count the
# wall time of the whole job (MPI start and network builds included) and of the run loop, the
# speedup and the parallel efficiency T1 / (N x TN) against the first rank count, how busy the
# ranks were (their engine time over N x the loop: what the MPI scheme itself loses), whether the
# machine was oversubscribed, and checks that every results file equals the first one.
#   scripts/bench_mpi.sh [BINARY] [RANKS] [THREADS] [POINTS] [RUNS]
#   defaults: build-mpi/rtcascade, "1 2 4", 1, 40, 2000; MPIEXEC names the launcher (mpirun)
# One rank is the one-process run (the same code as a build without MPI): the baseline.
#
# MEMORY=1 measures memory instead: a larger network (chung_lu, MEM_NODES nodes, default
# 4x10^6, mean degree 25: about 10^8 edges) and a short sweep on each rank count, with one copy
# of the network per node (the default) and with RC_MPI_SHARE=0 (a copy per rank, as before the
# node's ranks shared one). Every 0.2 s it reads /proc/PID/smaps_rollup of each rank and prints
# the node's total PSS (each shared page divided among the ranks mapping it, so the sum counts it
# once) at its peak and at the last sample with every rank up (the runs), and the largest rank's
# peak RSS and private memory (RSS minus shared pages).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build-mpi/rtcascade}
ranks=${2:-"1 2 4"}
threads=${3:-1}
points=${4:-40}
runs=${5:-2000}
mpiexec=${MPIEXEC:-mpirun}
[ -x "$bin" ] || { echo "build with MPI first (scripts/test.sh --mpi), or name the binary" >&2; exit 1; }
flags=()
if "$mpiexec" --version 2>&1 | grep -q "Open MPI"; then
  # Ranks may outnumber cores here; threads are not pinned, so that the OS can share cores.
  flags+=(--oversubscribe --bind-to none)
  if [ "$(id -u)" = 0 ]; then flags+=(--allow-run-as-root); fi
  export OMPI_MCA_btl_vader_single_copy_mechanism=${OMPI_MCA_btl_vader_single_copy_mechanism:-none}
fi
cores=$(nproc)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/bench_mpi.yaml" <<YAML
name: bench_mpi
seed: 1
runs: $runs
network: {generator: erdos_renyi, nodes: 100000, mean_degree: 5}
model: {name: independent_cascade, p: 0.1}
seeds: {strategy: random, count: 1}
sweep:
  model.p: {from: 0.02, to: 0.3, num: $points, log: true}
YAML

if [ "${MEMORY:-0}" = 1 ]; then
  nodes=${MEM_NODES:-4000000}
  cat >"$tmp/mem.yaml" <<YAML
name: bench_mpi_memory
seed: 1
runs: 200
network: {generator: chung_lu, nodes: $nodes, mean_degree: 25, out_exponent: 2.3,
          in_exponent: 2.8}
model: {name: independent_cascade, p: 0.01}
seeds: {strategy: random, count: 1}
sweep:
  model.p: {from: 0.005, to: 0.03, num: 8, log: true}
YAML
  echo "memory: chung_lu n=$nodes mean degree 25, 8 points x 200 runs; $threads thread(s) per rank"
  echo "machine: $cores cores, $(free -g | awk '/Mem:/ {print $2}') GiB; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "MiB: node PSS at its peak (the first rank's build included) and at the end of the runs;"
  echo "     the largest rank's peak RSS and private memory"
  printf "%5s %-14s %8s %10s %10s %10s %10s\n" ranks network wall_s PSS_peak PSS_runs RSS_rank \
    private
  for n in $ranks; do
    for share in 1 0; do
      out="$tmp/mem_np$n.$share.h5"
      start=$(date +%s.%N)
      RC_MPI_SHARE=$share OMP_NUM_THREADS=$threads "$mpiexec" "${flags[@]}" -x RC_MPI_SHARE \
        -np "$n" "$bin" run "$tmp/mem.yaml" -o "$out" --quiet >/dev/null 2>"$tmp/mem.err" &
      job=$!
      peak_pss=0 peak_rss=0 peak_priv=0 last_pss=0
      while kill -0 "$job" 2>/dev/null; do
        sum=0 seen=0
        for pid in $(pgrep -f "$tmp/mem.yaml" || true); do
          # the ranks (Open MPI names them "exe"), not the launcher: by their program's name
          arg0=$({ tr '\0' '\n' <"/proc/$pid/cmdline"; } 2>/dev/null | head -1 || true)
          [ "${arg0##*/}" = rtcascade ] || continue
          read -r pss rss priv < <(awk '/^Pss:/ {p = $2} /^Rss:/ {r = $2}
            /^Private_(Clean|Dirty):/ {v += $2} END {print p + 0, r + 0, v + 0}' \
            /proc/"$pid"/smaps_rollup 2>/dev/null || echo "0 0 0")
          sum=$((sum + pss))
          seen=$((seen + 1))
          [ "$rss" -gt "$peak_rss" ] && peak_rss=$rss
          [ "$priv" -gt "$peak_priv" ] && peak_priv=$priv
        done
        [ "$sum" -gt "$peak_pss" ] && peak_pss=$sum
        # the last sample with every rank up: the runs, after the network's build
        [ "$seen" = "$n" ] && last_pss=$sum
        sleep 0.2
      done
      wait "$job" || { cat "$tmp/mem.err" >&2; exit 1; }
      end=$(date +%s.%N)
      label=$([ "$share" = 1 ] && echo "one per node" || echo "one per rank")
      [ "$n" = 1 ] && [ "$share" = 0 ] && continue
      awk -v n="$n" -v l="$label" -v a="$start" -v b="$end" -v p="$peak_pss" -v r="$peak_rss" \
          -v v="$peak_priv" -v f="$last_pss" 'BEGIN { printf "%5d %-14s %8.1f %10.0f %10.0f %10.0f %10.0f\n",
          n, l, b - a, p / 1024, f / 1024, r / 1024, v / 1024 }'
    done
  done
  exit 0
fi
echo "sweep: $points points x $runs runs, independent cascade on erdos_renyi n=10^5, mean degree 5"
echo "machine: $cores cores, load before: $(cut -d' ' -f1-3 /proc/loadavg); $threads OpenMP thread(s) per rank"
echo "command: OMP_NUM_THREADS=$threads $mpiexec ${flags[*]} -np N $bin run bench_mpi.yaml -o OUT.h5 --quiet --verbose"
printf "%5s %7s %9s %9s %8s %10s %6s  %s\n" ranks threads wall_s loop_s speedup efficiency busy note
t1="" n1="" first=""
for n in $ranks; do
  out="$tmp/np$n.h5"
  start=$(date +%s.%N)
  OMP_NUM_THREADS=$threads "$mpiexec" "${flags[@]}" -np "$n" "$bin" run "$tmp/bench_mpi.yaml" \
    -o "$out" --quiet --verbose >"$tmp/stdout" 2>"$tmp/stderr.$n" ||
    { cat "$tmp/stderr.$n" >&2; exit 1; }
  end=$(date +%s.%N)
  wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
  loop=$(sed -n 's/.*; runs \([0-9.]*\) s;.*/\1/p' "$tmp/stderr.$n")
  if [ -z "$t1" ]; then t1=$wall n1=$n first=$out; fi
  note=""
  if [ $((n * threads)) -gt "$cores" ]; then note="oversubscribed ($((n * threads)) threads on $cores cores)"; fi
  if [ "$out" != "$first" ]; then
    # Compared dataset by dataset with h5py where it is installed (a bare compute node may lack
    # it: the ctest integration_mpi checks the same thing).
    same=$(/usr/bin/python3 -c "import sys; sys.path.insert(0, 'tests/integration')
try:
    from rcitest import compare_files
except ImportError:
    print('not compared (no h5py)'); sys.exit(0)
print('same file' if compare_files(sys.argv[1], sys.argv[2]) == [] else 'FILES DIFFER')" "$first" "$out" 2>/dev/null || echo "not compared")
    note="${note:+$note; }$same"
  fi
  # Engine seconds of every rank, from the "mpi:" line of --verbose ("r: runs (s s)").
  engine=$({ grep '^mpi:' "$tmp/stderr.$n" || true; } | { grep -o '([0-9.]* s)' || true; } |
           tr -d '(s)' | awk '{ t += $1 } END { print t + 0 }')
  awk -v n="$n" -v th="$threads" -v w="$wall" -v l="$loop" -v t1="$t1" -v n1="$n1" \
      -v e="$engine" -v note="$note" 'BEGIN {
    busy = (e > 0 && l > 0) ? sprintf("%.0f%%", 100 * e / (n * l)) : "-"
    printf "%5d %7d %9.2f %9s %8.2f %9.0f%% %6s  %s\n", n, th, w, l, t1 / w, 100 * t1 * n1 / (n * w),
           busy, note }'
done
echo "per rank (from --verbose; engine seconds are each rank's time in its units):"
for n in $ranks; do
  grep '^mpi:' "$tmp/stderr.$n" | sed 's/^/  /' || echo "  1 rank: one process, no units"
done
