#!/usr/bin/env bash
# Builds aai and runs every test: once in a normal build, then once more under AddressSanitizer
# and UndefinedBehaviorSanitizer. Usage: scripts/test.sh [--no-sanitizers]
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=$(nproc)
run_suite() {
  local build_dir=$1
  shift
  cmake -S . -B "$build_dir" -G Ninja "$@"
  cmake --build "$build_dir" -j "$jobs"
  local log="$build_dir/ctest-output.log"
  if ctest --test-dir "$build_dir" --output-on-failure -j "$jobs" 2>&1 | tee "$log"; then
    return 0
  fi
  # The failed tests run once more, one at a time, and their second result stands. Two causes of
  # a first failure that a second run does not repeat are known: LeakSanitizer's stop-the-world
  # tracer sometimes crashes at exit ("Tracer caught signal 11"), a fault of the sanitizer
  # runtime; and on a loaded 2-core machine the emulator has reset a stream's connection in
  # StreamTest.FileStreamsWithinBatchErrorBound (see docs/known-limitations.md). Every test that
  # needed the second run is listed, so a flaky test stays visible in the log.
  if grep -q "Tracer caught signal" "$log"; then
    echo "test.sh: LeakSanitizer's tracer crashed." >&2
  fi
  echo "test.sh: running the failed tests once more:" >&2
  sed -n '/The following tests FAILED:/,/Errors while running CTest/p' "$log" >&2
  ctest --test-dir "$build_dir" --output-on-failure --rerun-failed
}

# LeakSanitizer reads /proc/PID/task of the process it checks. Inside a PID namespace whose /proc
# belongs to another namespace (as in some chroot sandboxes) those paths do not exist and every
# instrumented program aborts, so leak checking is switched off there and only there.
detect_leaks=1
read -r proc_pid _ </proc/self/stat || proc_pid=""
if [ "$proc_pid" != "$BASHPID" ]; then
  detect_leaks=0
  echo "test.sh: /proc belongs to another PID namespace, so LeakSanitizer is off." >&2
fi

run_suite build
# The sanitizer pass leaves out the benchmarks: they are run on demand from the normal build, and
# compiling them instrumented would add minutes to every test run.
# LeakSanitizer would list the suppressions it used on stderr, where tests compare aai's messages
# exactly, so the list is switched off.
if [ "${1:-}" != "--no-sanitizers" ]; then
  ASAN_OPTIONS=detect_leaks=$detect_leaks:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0" \
    run_suite build-sanitize -DAAI_SANITIZE=ON -DCMAKE_BUILD_TYPE=Sanitize -DAAI_BUILD_BENCH=OFF
fi
