#!/usr/bin/env bash
# Measures the peak resident memory of `aai transcribe` while it uploads a 1 GiB file to the
# local emulator, which runs on 127.0.0.1 only.
#
# Usage: bench/upload_memory.sh [BUILD_DIR]   (default: build)
set -euo pipefail

source "$(dirname "$0")/emulator.sh"

build_dir="${1:-build}"
aai="$build_dir/bin/aai"
server="$build_dir/lib/aai/libexec/aai-local-server"
size="1G"

fail() {
  echo "upload_memory.sh: $1" >&2
  exit 1
}

[[ -x /usr/bin/time ]] || fail "/usr/bin/time not found; install the time package."
[[ -x "$aai" ]] || fail "\"$aai\" not found; build the project first: cmake --build $build_dir"
[[ -x "$server" ]] || fail "the local emulator \"$server\" is not built."
[[ -f "$build_dir/lib/aai/plugins/transcribe.so" ]] ||
  fail "the transcribe plugin \"$build_dir/lib/aai/plugins/transcribe.so\" is not built."

# A sparse file costs no disk space; the client reads it like any other file.
audio="$temp_dir/audio.bin"
truncate -s "$size" "$audio"

start_emulator "$server" "$temp_dir/data" "$temp_dir"

status=0
AAI_LOCAL_PORT="$port" ASSEMBLYAI_API_KEY=bench /usr/bin/time -v -o "$temp_dir/time.txt" \
  "$aai" --env local transcribe "$audio" -o id >"$temp_dir/aai.out" 2>"$temp_dir/aai.err" ||
  status=$?
# The file is all zeros, so the emulator ends the transcript in `error` once it has the whole
# upload: that failure comes after the upload and is expected. Any other failure is not.
if [[ $status -ne 0 ]] && ! grep -q "^Error: Transcript .* failed: File does not appear to be an audio file" "$temp_dir/aai.err"; then
  cat "$temp_dir/aai.err" >&2
  fail "aai transcribe exited with status $status."
fi

max_rss_kib=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$temp_dir/time.txt")
elapsed=$(sed -n 's/^[[:space:]]*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$temp_dir/time.txt")
echo "file size:                 $size (sparse)"
echo "aai exit status:           $status (1 is expected: the zero-filled upload is not audio)"
echo "wall time:                 $elapsed"
echo "aai maximum resident set:  $((max_rss_kib / 1024)) MiB ($max_rss_kib KiB)"
