#!/usr/bin/env bash
# Runs batches of short recordings through the local emulator. It measures the wall time and the
# client's CPU time per file at several concurrency levels, against the emulator's own CPU time
# for the same files. Then it measures the client's peak memory for a small and a large batch.
#
# Usage: bench/batch.sh [BUILD_DIR] [FILES] [LARGE_FILES]   (defaults: build, 200, 1000)
set -euo pipefail

build_dir="${1:-build}"
files="${2:-200}"
large_files="${3:-1000}"
aai="$build_dir/bin/aai"
server="$build_dir/lib/aai/libexec/aai-local-server"
make_clips="$build_dir/tests/make_clips"
librivox=/usr/share/pocketsphinx/test/data/librivox

fail() {
  echo "bench/batch.sh: $*" >&2
  exit 1
}

[[ -x "$aai" ]] || fail "\"$aai\" not found; build the project first: cmake --build $build_dir"
[[ -x "$server" ]] || fail "the emulator \"$server\" is not built."
[[ -f "$build_dir/lib/aai/plugins/transcribe.so" ]] ||
  fail "the transcribe plugin \"$build_dir/lib/aai/plugins/transcribe.so\" is not built."
[[ -x "$make_clips" ]] ||
  fail "\"$make_clips\" not found: cmake --build $build_dir --target aai_make_clips"
[[ -d "$librivox" ]] || fail "$librivox not found: apt-get install pocketsphinx-en-us"
[[ -x /usr/bin/time ]] || fail "/usr/bin/time not found: apt-get install time"

source "$(dirname "$0")/emulator.sh"

export ASSEMBLYAI_API_KEY=bench-key
unset AAI_ENV DBUS_SESSION_BUS_ADDRESS HTTPS_PROXY HTTP_PROXY ALL_PROXY https_proxy http_proxy \
  all_proxy

# CPU seconds (user + system) the process has used so far.
cpu_seconds() {
  awk -v ticks="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / ticks }' "/proc/$1/stat"
}

# run_batch NAME CLIP_DIR CONCURRENCY: runs one batch against a fresh emulator and sets wall,
# client_cpu, peak_kib, server_cpu and completed.
run_batch() {
  local name="$1" clips="$2" concurrency="$3"
  local work="$temp_dir/$name"
  mkdir -p "$work"
  start_emulator "$server" "$work/data" "$work"
  export AAI_LOCAL_PORT="$port"
  local before after
  before=$(cpu_seconds "$server_pid")
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" \
    "$aai" --env local --json transcribe "$clips" --concurrency "$concurrency" \
    >"$work/out.ndjson" 2>"$work/err" || fail "the batch failed: $(tail -5 "$work/err")"
  after=$(cpu_seconds "$server_pid")
  read -r wall user system peak_kib <"$work/time"
  client_cpu=$(echo "$user + $system" | bc)
  server_cpu=$(echo "$after - $before" | bc)
  completed=$(grep -c '"status":"completed"' "$work/out.ndjson" || true)
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
  find "$clips" -name '*.aai.json' -delete
}

echo "Making $files clips of 2 s and $large_files clips of 0.5 s from $librivox ..."
"$make_clips" "$temp_dir/clips" "$files" 2 "$librivox"/*.wav
"$make_clips" "$temp_dir/tiny-small" 100 0.5 "$librivox"/*.wav
"$make_clips" "$temp_dir/tiny-large" "$large_files" 0.5 "$librivox"/*.wav

echo
echo "| concurrency | files | wall (s) | files/s | client CPU per file (ms) | emulator CPU per file (ms) | client / emulator |"
echo "|---|---|---|---|---|---|---|"
for concurrency in 1 4 16; do
  run_batch "c$concurrency" "$temp_dir/clips" "$concurrency"
  [[ "$completed" == "$files" ]] || fail "only $completed of $files files completed at $concurrency"
  awk -v c="$concurrency" -v n="$files" -v w="$wall" -v cc="$client_cpu" -v sc="$server_cpu" \
    'BEGIN { printf "| %d | %d | %.1f | %.1f | %.1f | %.1f | %.1f%% |\n", c, n, w, n / w,
             cc * 1000 / n, sc * 1000 / n, (sc > 0 ? 100 * cc / sc : 0) }'
done

baseline_kib=$(/usr/bin/time -f "%M" "$aai" --help 2>&1 >/dev/null | tail -1)
echo
echo "| batch | files | client peak RSS (MiB) |"
echo "|---|---|---|"
echo "| \`aai --help\` (baseline) | 0 | $(echo "scale=1; $baseline_kib / 1024" | bc) |"
for size in small large; do
  run_batch "tiny-$size" "$temp_dir/tiny-$size" 16
  echo "| 0.5 s clips, concurrency 16 | $completed | $(echo "scale=1; $peak_kib / 1024" | bc) |"
done
