#!/usr/bin/env bash
# Compares the start-up time of aai commands against a C++ hello world in one hyperfine run.
#
# Usage: bench/startup.sh [BUILD_DIR]   (default: build)
# Writes BUILD_DIR/bench/startup.json and BUILD_DIR/bench/startup.md, then prints the ratio
# of `aai --help` to the hello world. The target is a ratio of 2 or less.
set -euo pipefail

build_dir="${1:-build}"
aai="$build_dir/bin/aai"
hello="$build_dir/bench/hello"
results_dir="$build_dir/bench"

fail() {
  echo "startup.sh: $1" >&2
  exit 1
}

command -v hyperfine >/dev/null || fail "hyperfine is not installed; install the hyperfine package."
command -v jq >/dev/null || fail "jq is not installed; install the jq package."
[[ -x "$aai" ]] || fail "\"$aai\" not found; build the project first: cmake --build $build_dir"
cmake --build "$build_dir" --target aai_bench_hello >/dev/null ||
  fail "failed to build the hello world: run cmake --build $build_dir --target aai_bench_hello"

names=("hello world")
commands=("$hello")
for arguments in "--help" "--version" "plugins list" "env list"; do
  # A command whose plugin is missing fails here and is left out rather than timed.
  # shellcheck disable=SC2086
  if "$aai" $arguments >/dev/null 2>&1; then
    names+=("aai $arguments")
    commands+=("$aai $arguments")
  else
    echo "startup.sh: skipping \"aai $arguments\": it exits with an error in this build." >&2
  fi
done

hyperfine_arguments=(--shell=none --warmup 5 --min-runs 50
  --export-json "$results_dir/startup.json" --export-markdown "$results_dir/startup.md")
for i in "${!commands[@]}"; do
  hyperfine_arguments+=(--command-name "${names[$i]}" "${commands[$i]}")
done
hyperfine "${hyperfine_arguments[@]}"

ratio=$(jq -r '
  ([.results[] | select(.command == "hello world") | .mean] | first) as $hello
  | ([.results[] | select(.command == "aai --help") | .mean] | first) as $help
  | if $hello == null or $help == null then "n/a" else ($help / $hello * 100 | round / 100) end
' "$results_dir/startup.json")
echo
echo "Results: $results_dir/startup.json, $results_dir/startup.md"
echo "aai --help / hello world: ${ratio}x (target: 2x or less)"
