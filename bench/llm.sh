#!/usr/bin/env bash
# Compares `aai llm` against curl sending the same chat completion to the local emulator's LLM
# Gateway, in one hyperfine run. The difference is the client's own cost: start-up, plugin
# loading, reading the files and building the request.
#
# Usage: bench/llm.sh [BUILD_DIR]   (default: build)
# Writes BUILD_DIR/bench/llm.json and BUILD_DIR/bench/llm.md.
set -euo pipefail

build_dir="${1:-build}"
aai="$build_dir/bin/aai"
server="$build_dir/lib/aai/libexec/aai-local-server"
results_dir="$build_dir/bench"

fail() {
  echo "llm.sh: $1" >&2
  exit 1
}

command -v hyperfine >/dev/null || fail "hyperfine is not installed; install the hyperfine package."
command -v curl >/dev/null || fail "curl is not installed; install the curl package."
[[ -x "$aai" && -x "$server" ]] ||
  fail "\"$aai\" or \"$server\" not found; build the project first: cmake --build $build_dir"
mkdir -p "$results_dir"

# shellcheck source=bench/emulator.sh
source "$(dirname "$0")/emulator.sh"
start_emulator "$server" "$temp_dir/data" "$temp_dir"

notes="$temp_dir/notes.txt"
for i in $(seq 200); do
  echo "Item $i of the meeting: the budget review moved to Tuesday at noon, said speaker $i."
done >"$notes"
prompt="When is the budget review?"
# The body aai builds for this prompt and file, so both commands ask the gateway the same thing.
jq -n --arg prompt "$prompt" --rawfile text "$notes" '{
  model: "claude-haiku-4-5-20251001", max_tokens: 8192,
  messages: [{role: "user", content: ($prompt + "\n\nTranscript:\n===== notes.txt =====\n" + $text)}]
}' >"$temp_dir/body.json"

export HOME="$temp_dir/home" XDG_CONFIG_HOME="$temp_dir/home/config"
export AAI_LOCAL_PORT="$port" ASSEMBLYAI_API_KEY="bench-key"
mkdir -p "$XDG_CONFIG_HOME"
url="http://127.0.0.1:$port/v1/chat/completions"
"$aai" --env local llm "$prompt" "$notes" >/dev/null || fail "aai llm failed against the emulator."

hyperfine --shell=none --warmup 3 --min-runs 30 \
  --export-json "$results_dir/llm.json" --export-markdown "$results_dir/llm.md" \
  --command-name "curl (baseline)" \
  "curl -sf -o /dev/null -H 'Authorization: Bearer bench-key' -H 'Content-Type: application/json' --data-binary @$temp_dir/body.json $url" \
  --command-name "aai llm" \
  "$aai --env local llm '$prompt' $notes"

echo
echo "Results: $results_dir/llm.json, $results_dir/llm.md"
jq -r '(.results[0].mean) as $base | .results[1:][]
  | "\(.command): \((.mean - $base) * 1000 | round) ms more than curl per request"' \
  "$results_dir/llm.json"
