# Sourced by the benchmark scripts: a temporary folder, and the local emulator on a free
# 127.0.0.1 port, both removed when the script exits.
#
# start_emulator SERVER DATA_DIR LOG_DIR sets server_pid and port, or calls fail (defined by the
# caller) when the emulator exits or does not say it is ready within 10 s.

temp_dir=$(mktemp -d)
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$temp_dir"
}
trap cleanup EXIT
start_emulator() {
  local server="$1" data_dir="$2" log_dir="$3"
  mkdir -p "$data_dir"
  "$server" --port 0 --data-dir "$data_dir" >"$log_dir/server.out" 2>"$log_dir/server.log" &
  server_pid=$!
  port=""
  for _ in $(seq 100); do
    port=$(sed -n 's|^listening on http://127\.0\.0\.1:\([0-9]*\)$|\1|p' "$log_dir/server.out")
    [[ -n "$port" ]] && return 0
    kill -0 "$server_pid" 2>/dev/null || fail "the emulator exited: $(cat "$log_dir/server.log")"
    sleep 0.1
  done
  fail "the emulator did not print \"listening on http://127.0.0.1:PORT\" in 10 s."
}
