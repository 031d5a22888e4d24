#!/usr/bin/env bash
# Latency and CPU of `aai stream`, against a bare WebSocket client as the baseline, both
# streaming the same LibriVox recording in real time to the local emulator on 127.0.0.1.
#
# Usage: bench/stream_latency.sh [BUILD_DIR] [RUNS]   (defaults: build, 5)
set -euo pipefail

source "$(dirname "$0")/emulator.sh"

build_dir="${1:-build}"
runs="${2:-5}"
aai="$build_dir/bin/aai"
server="$build_dir/lib/aai/libexec/aai-local-server"
tool="$build_dir/bench/stream_latency"
audio="$(cd "$(dirname "$0")/.." && pwd)/samples/sense-and-sensibility.wav"

fail() {
  echo "stream_latency.sh: $1" >&2
  exit 1
}

[[ -x "$aai" ]] || fail "\"$aai\" not found; build the project first: cmake --build $build_dir"
[[ -x "$server" ]] || fail "the local emulator \"$server\" is not built."
[[ -f "$build_dir/lib/aai/plugins/streaming.so" ]] ||
  fail "the streaming plugin \"$build_dir/lib/aai/plugins/streaming.so\" is not built."
[[ -x "$tool" ]] ||
  fail "\"$tool\" not found; build it: cmake --build $build_dir --target aai_bench_stream_latency"

start_emulator "$server" "$temp_dir/data" "$temp_dir"

# A user of its own, so no config or stored key of the person running the benchmark applies.
export HOME="$temp_dir/home" XDG_CONFIG_HOME="$temp_dir/home/config"
export XDG_DATA_HOME="$temp_dir/home/data" XDG_STATE_HOME="$temp_dir/home/state"
export AAI_LOCAL_PORT="$port" ASSEMBLYAI_API_KEY=bench-key
unset AAI_ENV DBUS_SESSION_BUS_ADDRESS
"$tool" "$aai" "$audio" "$port" "$runs"
