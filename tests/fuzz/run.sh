#!/usr/bin/env bash
# Runs every libFuzzer target of tests/fuzz, one after the other, for SECONDS each:
#   tests/fuzz/run.sh BUILD_DIR SECONDS [RUNS]   (scripts/test.sh --fuzz builds and calls it)
# With RUNS a target also stops after RUNS executions (a long offline run: SECONDS large, RUNS
# 1000000). RC_FUZZ_TARGETS="results resume" runs only those targets. RC_FUZZ_LEAKS=exit checks
# for leaks once, when each target exits, instead of after every input that allocated more than
# it freed: every leak still fails the run, but it is not tied to one input. The HDF5 targets run
# about 5x faster that way (libhdf5's suppressed leaks on damaged files make libFuzzer run a full
# leak scan, with symbolization, after nearly every input).
# Each starts from its seeds (tests/fuzz/seeds/<target>, and for fuzz_config the repository's
# configs) plus what earlier runs found (BUILD_DIR/fuzz-corpus/<target>). Exits non-zero when any
# target crashed, leaked, hung (more than 20 s on one input) or ran out of memory; the input is
# kept in BUILD_DIR/fuzz-findings/. Leaks inside libhdf5 on damaged files (HDF5 1.10 frees
# nothing on some error paths) are suppressed (tests/fuzz/lsan.supp); any other leak fails.
set -uo pipefail
cd "$(dirname "$0")/../.."
build=$1
seconds=${2:-60}
runs=${3:--1}
src=$PWD/tests/fuzz
read -r -a targets <<<"${RC_FUZZ_TARGETS:-config edgelist cascades results resume graph deflate}"
leak_each=1
[ "${RC_FUZZ_LEAKS:-each}" = exit ] && leak_each=0
findings=$PWD/$build/fuzz-findings
mkdir -p "$findings"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:allocator_may_return_null=1}
export LSAN_OPTIONS=suppressions=$src/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
failed=0
printf '%-10s %12s %8s %10s %8s %s\n' target executions seconds "exec/s" corpus result
for t in "${targets[@]}"; do
  corpus=$PWD/$build/fuzz-corpus/$t
  mkdir -p "$corpus"
  cp -n "$src"/seeds/"$t"/* "$corpus"/ 2>/dev/null
  dict=hdf5
  case $t in
    config)
      dict=config
      for f in configs/*.yaml tests/golden/*.yaml tests/integration/*.yaml \
               tests/integration/configs/*.yaml; do
        cp -n "$f" "$corpus/$(basename "$f")"
      done ;;
    edgelist) dict=edgelist ;;
    cascades) dict=cascades ;;
    deflate) dict="" ;;
  esac
  log=$PWD/$build/fuzz-$t.log
  start=$(date +%s)
  # -timeout: an input taking longer is a hang; -rss_limit_mb: running out of memory fails
  dict_arg=()
  [ -n "$dict" ] && dict_arg=(-dict="$src/$dict.dict")
  (cd "$PWD/$build" && "./tests/fuzz/fuzz_$t" "$corpus" "${dict_arg[@]}" \
     -max_total_time="$seconds" -runs="$runs" -detect_leaks=$leak_each -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
     -artifact_prefix="$findings/$t-") >"$log" 2>&1
  rc=$?
  secs=$(( $(date +%s) - start ))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(( ${execs:-0} / (secs > 0 ? secs : 1) ))
  result=ok
  if [ $rc -ne 0 ]; then
    result="FAILED (exit $rc): $(grep -m1 -E 'ERROR|SUMMARY|ALARM|out-of-memory|Test unit' "$log")"
    failed=1
  fi
  printf '%-10s %12s %8s %10s %8s %s\n' "$t" "${execs:-?}" "$secs" "$rate" \
    "$(ls "$corpus" | wc -l)" "$result"
done
if [ $failed -ne 0 ]; then
  echo "fuzz: a target failed; its log is $build/fuzz-<target>.log, the input in $findings/"
  exit 1
fi
echo "fuzz: every target ran (up to ${seconds} s) without a crash, leak, hang or running out of memory"
