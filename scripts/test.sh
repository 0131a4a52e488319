#!/usr/bin/env bash
# Builds rtcascade and runs its test suite with ctest.
#   scripts/test.sh              Release build in build/, all tests
#   scripts/test.sh --sanitize   ASan + UBSan build in build-san/, all tests
#   scripts/test.sh --valgrind   Debug build in build-debug/, unit tests under valgrind memcheck
#   scripts/test.sh --mpi        Release build with MPI (RC_WITH_MPI) in build-mpi/, all tests; the
#                                MPI test compares with build/rtcascade when build/ exists
#   scripts/test.sh --fuzz [S]   clang build with libFuzzer, ASan and UBSan in build-fuzz/; runs
#                                every target of tests/fuzz for S seconds (default 60), one after
#                                the other; fails on any crash, leak, hang (20 s on one input) or
#                                running out of memory. Findings go to build-fuzz/fuzz-findings/;
#                                the corpus grows in build-fuzz/fuzz-corpus/ from run to run.
# Extra arguments after the mode go to ctest (e.g. -R config, -L unit).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=release
case "${1:-}" in
  --sanitize) mode=sanitize; shift ;;
  --valgrind) mode=valgrind; shift ;;
  --mpi) mode=mpi; shift ;;
  --fuzz) mode=fuzz; shift ;;
esac
jobs=$(nproc 2>/dev/null || echo 2)

case $mode in
  release)
    dir=build
    cmake -S . -B $dir -DCMAKE_BUILD_TYPE=Release -DRC_WERROR=ON >/dev/null ;;
  sanitize)
    dir=build-san
    cmake -S . -B $dir -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRC_WERROR=ON \
      -DRC_SANITIZE=address,undefined >/dev/null ;;
  mpi)
    dir=build-mpi
    ref="" # the Release build's binary, brought up to date, when there is one
    if [ -f build/CMakeCache.txt ] && cmake --build build -j "$jobs" >/dev/null; then
      ref=$PWD/build/rtcascade
    fi
    cmake -S . -B $dir -DCMAKE_BUILD_TYPE=Release -DRC_WERROR=ON -DRC_WITH_MPI=ON \
      "-DRC_MPI_REFERENCE=$ref" >/dev/null ;;
  fuzz)
    dir=build-fuzz
    fuzz_seconds=${1:-60}
    [ $# -gt 0 ] && shift
    CC=${RC_FUZZ_CC:-clang} cmake -S . -B $dir -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRC_WERROR=ON \
      -DRC_FUZZ=ON -DRC_BUILD_TESTS=OFF >/dev/null ;;
  valgrind)
    dir=build-debug
    cmake -S . -B $dir -DCMAKE_BUILD_TYPE=Debug \
      "-DRC_TEST_LAUNCHER=valgrind;--error-exitcode=1;--leak-check=full;--errors-for-leak-kinds=definite;--quiet" \
      >/dev/null ;;
esac
cmake --build $dir -j "$jobs"

if [ $mode = fuzz ]; then
  exec bash tests/fuzz/run.sh "$dir" "$fuzz_seconds"
elif [ $mode = valgrind ]; then
  OMP_NUM_THREADS=2 ctest --test-dir $dir --output-on-failure -L unit "$@"
else
  # ASan's leak checker cannot run under ptrace-restricted sandboxes; leaks are checked by
  # the valgrind mode instead. Leaks inside libhdf5 itself (its error paths on damaged files)
  # are not ours: tests/fuzz/lsan.supp.
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} OMP_NUM_THREADS=${OMP_NUM_THREADS:-2} \
    LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0} \
    ctest --test-dir $dir --output-on-failure -j "$jobs" "$@"
fi
