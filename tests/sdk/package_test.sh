#!/usr/bin/env bash
# Builds the example plugins in sdk/examples the way a third party would, against an SDK
# installed from the build tree, and runs them in the build tree's aai.
#
# It installs the "sdk" component into a temporary prefix, then checks the CMake package's
# version rules, aai_add_plugin's errors and the pkg-config file. It builds word-count and
# hello-c out of tree with only CMAKE_PREFIX_PATH pointing at the prefix, and hello-c once more
# with the C compiler and pkg-config alone. Then it runs each command through build/bin/aai with
# AAI_PLUGIN_PATH, and installs word-count with `aai plugins install` to check the main help,
# bash completion and a junk file beside it, as the plugin guide describes. The hook check starts the local emulator on a free 127.0.0.1 port, and nothing
# else opens a socket.
#
# Usage: package_test.sh CMAKE SOURCE_DIR BUILD_DIR C_COMPILER CXX_COMPILER GENERATOR [MAKE_PROGRAM]
# Exits 0 when every check passes, 1 when any fails (each failure is printed), and 77, which
# CTest reports as skipped, only when CMAKE does not exist.
set -uo pipefail

if [[ $# -lt 6 ]]; then
  echo "usage: $0 CMAKE SOURCE_DIR BUILD_DIR C_COMPILER CXX_COMPILER GENERATOR [MAKE_PROGRAM]" >&2
  exit 1
fi
cmake=$1
source_dir=$2
build_dir=$3
c_compiler=$4
cxx_compiler=$5
generator=$6
make_program=${7:-}

if ! command -v "$cmake" >/dev/null 2>&1; then
  echo "SKIP: cmake not found at $cmake, so the SDK cannot be installed." >&2
  exit 77
fi
for tool in pkg-config jq objcopy nm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "FAIL: $tool is not installed. scripts/install-deps.sh installs it." >&2
    exit 1
  fi
done
aai=$build_dir/bin/aai
emulator=$build_dir/lib/aai/libexec/aai-local-server
for built in "$aai" "$emulator"; do
  if [[ ! -x $built ]]; then
    echo "FAIL: $built does not exist. Build the whole project first." >&2
    exit 1
  fi
done

# Plugin files and their folders must not be writable by group or others for aai to load them.
umask 022
work=$(mktemp -d "${TMPDIR:-/tmp}/aai-sdk-package-XXXXXX")
emulator_pid=""
cleanup() {
  if [[ -n $emulator_pid ]]; then
    kill "$emulator_pid" 2>/dev/null
    wait "$emulator_pid" 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT

failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# check_equal NAME EXPECTED ACTUAL
check_equal() {
  if [[ $2 != "$3" ]]; then
    fail "$1"
    diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") | sed 's/^/    /'
  fi
}

# check_contains NAME NEEDLE TEXT
check_contains() {
  if [[ $3 != *"$2"* ]]; then
    fail "$1: expected to find '$2' in:"
    printf '%s\n' "$3" | sed 's/^/    /'
  fi
}

# check_not_contains NAME NEEDLE TEXT
check_not_contains() {
  if [[ $3 == *"$2"* ]]; then
    fail "$1: did not expect '$2' in:"
    printf '%s\n' "$3" | sed 's/^/    /'
  fi
}

# ---------------------------------------------------------------------------------------------
# Install the SDK.

prefix=$work/prefix
if ! "$cmake" --install "$build_dir" --prefix "$prefix" --component sdk >"$work/install.log" 2>&1
then
  fail "cmake --install --component sdk"
  sed 's/^/    /' "$work/install.log"
  exit 1
fi
installed=$(cd "$prefix" && find . -type f | sort)
check_equal "installed SDK files" "./include/aai/manifest.h
./include/aai/plugin.h
./include/aai/plugin.hpp
./lib/cmake/aai-sdk/AaiSdkPlugin.cmake
./lib/cmake/aai-sdk/aai-sdkConfig.cmake
./lib/cmake/aai-sdk/aai-sdkConfigVersion.cmake
./lib/cmake/aai-sdk/aai-sdkTargets.cmake
./lib/pkgconfig/aai-sdk.pc" "$installed"

abi_part() {
  sed -n "s/^#define AAI_ABI_VERSION_$1 \([0-9]*\)\$/\1/p" "$source_dir/sdk/include/aai/plugin.h"
}
major=$(abi_part MAJOR)
minor=$(abi_part MINOR)
patch=$(abi_part PATCH)

# ---------------------------------------------------------------------------------------------
# pkg-config, restricted to the prefix so that no other aai-sdk.pc on the machine is found.

export PKG_CONFIG_LIBDIR=$prefix/lib/pkgconfig
export PKG_CONFIG_PATH=""
# pkg_config ARGS...: pkg-config's output without the trailing space it prints.
pkg_config() {
  pkg-config "$@" 2>&1 | sed 's/[[:space:]]*$//'
}
check_equal "pkg-config --cflags" "-I$prefix/include" "$(pkg_config --cflags aai-sdk)"
check_equal "pkg-config --modversion" "$major.$minor.$patch" "$(pkg_config --modversion aai-sdk)"
check_equal "pkg-config --libs (header-only)" "" "$(pkg_config --libs aai-sdk)"

# ---------------------------------------------------------------------------------------------
# The CMake package: version rules and aai_add_plugin's errors, in projects that compile nothing.

probe=$work/probe
mkdir -p "$probe"
cat >"$probe/CMakeLists.txt" <<'EOF'
cmake_minimum_required(VERSION 3.25)
project(probe LANGUAGES ${PROBE_LANGUAGES})
find_package(aai-sdk ${PROBE_VERSION} REQUIRED)
if(NOT TARGET aai::sdk OR NOT COMMAND aai_add_plugin)
  message(FATAL_ERROR "aai-sdk did not define aai::sdk and aai_add_plugin")
endif()
cmake_language(EVAL CODE "${PROBE_CALL}")
EOF
: >"$probe/plugin.c"

# configure_probe VERSION LANGUAGES CALL: configures the probe and leaves its output, with
# whitespace runs squeezed (CMake wraps long messages), in probe_output. Returns cmake's status.
configure_probe() {
  rm -rf "$work/probe-build"
  local status=0
  "$cmake" -S "$probe" -B "$work/probe-build" -G "$generator" \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_COMPILER="$c_compiler" \
    -DPROBE_VERSION="$1" -DPROBE_LANGUAGES="$2" -DPROBE_CALL="$3" \
    >"$work/probe.log" 2>&1 || status=$?
  probe_output=$(tr -s ' \n' ' ' <"$work/probe.log")
  return $status
}

for accepted in "$major" "$major.0" "$major.$minor" "$major.$minor.$patch"; do
  configure_probe "$accepted" NONE "" ||
    fail "find_package(aai-sdk $accepted) rejected SDK $major.$minor.$patch: $probe_output"
done
for rejected in "$major.$((minor + 1))" "$((major + 1)).0"; do
  if configure_probe "$rejected" NONE ""; then
    fail "find_package(aai-sdk $rejected) accepted SDK $major.$minor.$patch"
  fi
  check_contains "find_package(aai-sdk $rejected) message" \
    "The following configuration files were considered but not accepted:" "$probe_output"
done

configure_probe "$major.$minor" NONE "aai_add_plugin(empty)" &&
  fail "aai_add_plugin without sources succeeded"
check_contains "aai_add_plugin without sources" \
  "aai_add_plugin(empty): no source files given. Call it as aai_add_plugin(empty plugin.cpp ...)." \
  "$probe_output"

configure_probe "$major.$minor" NONE "aai_add_plugin(lost plugin.c OUTPUT_DIRECTORY)" &&
  fail "aai_add_plugin with OUTPUT_DIRECTORY and no folder succeeded"
check_contains "aai_add_plugin with OUTPUT_DIRECTORY and no folder" \
  "aai_add_plugin(lost): OUTPUT_DIRECTORY needs a folder after it." "$probe_output"

configure_probe "$major.$minor" NONE "aai_add_plugin(nolang plugin.c)" &&
  fail "aai_add_plugin in a project without languages succeeded"
check_contains "aai_add_plugin in a project without languages" \
  "aai_add_plugin(nolang): the project enables neither C nor C++. Add LANGUAGES C or LANGUAGES CXX to its project() call." \
  "$probe_output"

configure_probe "$major.$minor" C \
  "aai_add_plugin(placed plugin.c OUTPUT_DIRECTORY \${CMAKE_BINARY_DIR}/out)" ||
  fail "aai_add_plugin with OUTPUT_DIRECTORY: $probe_output"
if ! "$cmake" --build "$work/probe-build" >"$work/probe-build.log" 2>&1; then
  fail "building the OUTPUT_DIRECTORY probe"
  sed 's/^/    /' "$work/probe-build.log"
fi
[[ -f $work/probe-build/out/placed.so ]] || fail "OUTPUT_DIRECTORY: out/placed.so was not built"

# ---------------------------------------------------------------------------------------------
# Build the examples out of tree.

warnings="-Wall -Wextra -Wpedantic -Wshadow -Werror"
generator_arguments=(-G "$generator")
if [[ -n $make_program ]]; then
  generator_arguments+=(-DCMAKE_MAKE_PROGRAM="$make_program")
fi

# build_example NAME: configures and builds sdk/examples/NAME into $work/build-NAME.
build_example() {
  local name=$1
  local binary=$work/build-$name
  if ! "$cmake" -S "$source_dir/sdk/examples/$name" -B "$binary" "${generator_arguments[@]}" \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER="$c_compiler" -DCMAKE_CXX_COMPILER="$cxx_compiler" \
    -DCMAKE_C_FLAGS="$warnings" -DCMAKE_CXX_FLAGS="$warnings" \
    >"$work/configure-$name.log" 2>&1; then
    fail "configuring sdk/examples/$name"
    sed 's/^/    /' "$work/configure-$name.log"
    return 1
  fi
  check_equal "$name found the installed package" "aai-sdk_DIR:PATH=$prefix/lib/cmake/aai-sdk" \
    "$(grep '^aai-sdk_DIR:' "$binary/CMakeCache.txt")"
  if ! "$cmake" --build "$binary" >"$work/build-$name.log" 2>&1; then
    fail "building sdk/examples/$name"
    sed 's/^/    /' "$work/build-$name.log"
    return 1
  fi
  if ! grep -rqs -- "-Wl,--no-undefined" "$binary" --include=build.ninja --include=link.txt; then
    fail "$name was linked without -Wl,--no-undefined"
  fi
}

build_example word-count
build_example hello-c

# hello-c once more, with the C compiler and pkg-config alone, as its README shows.
pkg_config_dir=$work/build-hello-c-pkg-config
mkdir -p "$pkg_config_dir"
# shellcheck disable=SC2046,SC2086 # the flags are meant to split into words
if ! "$c_compiler" -std=c11 $warnings -shared -fPIC -fvisibility=hidden -Wl,--no-undefined \
  -o "$pkg_config_dir/hello-c.so" "$source_dir/sdk/examples/hello-c/hello.c" \
  $(pkg-config --cflags aai-sdk) >"$work/build-pkg-config.log" 2>&1; then
  fail "building hello-c with pkg-config"
  sed 's/^/    /' "$work/build-pkg-config.log"
fi

word_count_so=$work/build-word-count/word-count.so
hello_so=$work/build-hello-c/hello-c.so
for plugin in "$word_count_so" "$hello_so" "$pkg_config_dir/hello-c.so"; do
  [[ -f $plugin ]] || fail "$plugin was not built"
done
for unwanted in "$work/build-word-count/libword-count.so" "$work/build-hello-c/libhello-c.so"; do
  [[ ! -e $unwanted ]] || fail "$unwanted has the lib prefix aai_add_plugin must remove"
done

# ---------------------------------------------------------------------------------------------
# What the built files export and declare.

# A C plugin exports nothing but its entry point. A C++ plugin also exports weak instantiations of
# standard library templates (libstdc++ gives its namespace default visibility), but nothing of
# its own code or of plugin.hpp.
check_equal "hello-c exported symbols" "aai_plugin_entry" \
  "$(nm -D --defined-only "$hello_so" | awk '{print $3}')"
check_equal "hello-c (pkg-config) exported symbols" "aai_plugin_entry" \
  "$(nm -D --defined-only "$pkg_config_dir/hello-c.so" | awk '{print $3}')"
word_count_exports=$(nm -D --defined-only "$word_count_so" | awk '{print $3}')
check_contains "word-count exports its entry point" "aai_plugin_entry" "$word_count_exports"
check_not_contains "word-count exports no aai:: symbol" "3aai" "$word_count_exports"
check_not_contains "word-count exports no word_count:: symbol" "10word_count" \
  "$word_count_exports"

# manifest_of FILE: the JSON text in FILE's .aai_manifest section, compacted by jq.
manifest_of() {
  objcopy -O binary --only-section=.aai_manifest "$1" "$work/manifest.bin" 2>/dev/null &&
    tr -d '\0' <"$work/manifest.bin" | jq -c . 2>&1
}
check_equal "word-count manifest" \
  "{\"manifest\":1,\"name\":\"word-count\",\"version\":\"1.0.0\",\"abi\":\"$major.$minor\",\"summary\":\"Example plugin in C++: counts words in text files\",\"commands\":[\"word-count\"],\"needs\":[],\"summaries\":{\"word-count\":\"Count the words in text files\"}}" \
  "$(manifest_of "$word_count_so")"
check_equal "hello-c manifest" \
  "{\"manifest\":1,\"name\":\"hello-c\",\"version\":\"1.0.0\",\"abi\":\"$major.$minor\",\"summary\":\"Example plugin in C: greets people\",\"commands\":[\"hello\"],\"needs\":[],\"summaries\":{\"hello\":\"Print a greeting\"}}" \
  "$(manifest_of "$hello_so")"

# ---------------------------------------------------------------------------------------------
# Run the plugins in the real aai, as an isolated user.

home=$work/home
mkdir -p "$home"
plugin_path="$work/build-word-count:$work/build-hello-c"
extra_environment=()
# A sanitizer build of aai needs the options scripts/test.sh sets, so they pass through.
sanitizer_environment=()
for variable in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
  if [[ -n ${!variable:-} ]]; then
    sanitizer_environment+=("$variable=${!variable}")
  fi
done

# run_aai ARGS...: runs aai with stdin from $stdin_file (or empty) and sets out, err and code.
stdin_file=/dev/null
run_aai() {
  env -i PATH="$PATH" HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" \
    XDG_STATE_HOME="$home/state" XDG_RUNTIME_DIR="$home/run" AAI_PLUGIN_PATH="$plugin_path" \
    "${sanitizer_environment[@]}" "${extra_environment[@]}" "$aai" "$@" \
    <"$stdin_file" >"$work/out" 2>"$work/err"
  code=$?
  out=$(cat "$work/out")
  err=$(cat "$work/err")
}

cd "$work" || exit 1
printf 'The cat saw the other cat.\n"Don'\''t!" said the dog -- twice.\n' >first.txt
printf 'A cat\xe2\x80\x94the same cat\xe2\x80\xa6the same.\n' >second.txt
mkdir -p folder

run_aai --help
check_equal "aai --help exit code" 0 "$code"
check_equal "aai --help stderr (no plugin skipped)" "" "$err"
check_contains "aai --help lists word-count" $'\n  word-count  Count the words in text files\n' "$out"
check_contains "aai --help lists hello" $'\n  hello  Print a greeting\n' "$out"

run_aai --json plugins list
check_equal "plugins list exit code" 0 "$code"
check_equal "plugins list shows word-count's file" "$word_count_so" \
  "$(jq -r '.plugins[] | select(.name == "word-count") | .file' <<<"$out" 2>&1)"
check_equal "plugins list shows hello-c's file" "$hello_so" \
  "$(jq -r '.plugins[] | select(.name == "hello-c") | .file' <<<"$out" 2>&1)"
check_equal "plugins list skipped nothing" "[]" "$(jq -c .skipped <<<"$out" 2>&1)"

# word-count: text, JSON and standard input.
run_aai word-count first.txt second.txt --top 3
check_equal "word-count exit code" 0 "$code"
check_equal "word-count stderr" "" "$err"
check_equal "word-count output" "first.txt: 11 words
second.txt: 7 words
Total: 18 words, 10 distinct

Most frequent:
  5  the
  4  cat
  2  same" "$out"

run_aai --json word-count first.txt second.txt --min-length 4 --top 2
check_equal "word-count --json exit code" 0 "$code"
check_equal "word-count --json output" \
  '{"files":[{"file":"first.txt","words":4},{"file":"second.txt","words":2}],"total_words":6,"distinct_words":5,"top":[{"word":"same","count":2},{"word":"don'\''t","count":1}]}' \
  "$(jq -c . <<<"$out" 2>&1)"

stdin_file=first.txt
run_aai word-count - --top 0
stdin_file=/dev/null
check_equal "word-count - exit code" 0 "$code"
check_equal "word-count - output" "-: 11 words
Total: 11 words, 8 distinct" "$out"

# word-count: every error it reports, with the exact message and exit code.
# check_error NAME EXIT_CODE STDERR ARGS...
check_error() {
  local name=$1 expected_code=$2 expected_err=$3
  shift 3
  run_aai "$@"
  check_equal "$name exit code" "$expected_code" "$code"
  check_equal "$name stderr" "$expected_err" "$err"
  check_equal "$name stdout" "" "$out"
}
check_error "word-count missing file" 2 "Error: File not found: missing.txt
Suggestion: Check the path, or pass - to read standard input." \
  word-count first.txt missing.txt
check_error "word-count folder" 2 "Error: Not a file: folder
Suggestion: Pass the files inside the folder, such as folder/*.txt." \
  word-count folder
check_error "word-count path through a file" 2 "Error: Could not read first.txt/x: Not a directory.
Suggestion: Check the path and the file's permissions." \
  word-count first.txt/x
check_error "word-count empty file name" 2 "Error: A FILE argument is empty.
Suggestion: Pass a path, or - to read standard input." \
  word-count ""
check_error "word-count negative --top" 2 "Error: Invalid value '-1' for --top: expected 0 or more.
Suggestion: Pass --top 0 to print only the totals." \
  word-count first.txt --top=-1
check_error "word-count zero --min-length" 2 "Error: Invalid value '0' for --min-length: expected 1 or more.
Suggestion: Pass --min-length 1 to count every word." \
  word-count first.txt --min-length 0
check_error "word-count --top that is not a number" 2 \
  "Error: Invalid value 'ten' for --top: expected an integer." \
  word-count first.txt --top ten

run_aai --json word-count missing.txt
check_equal "word-count --json missing file exit code" 2 "$code"
check_equal "word-count --json missing file error" \
  '{"error":{"type":"file_not_found","message":"File not found: missing.txt","suggestion":"Check the path, or pass - to read standard input."}}' \
  "$(jq -c . <<<"$err" 2>&1)"

# hello: text, JSON and errors.
run_aai hello Ada --times 2
check_equal "hello exit code" 0 "$code"
check_equal "hello output" "Hello, Ada!
Hello, Ada!" "$out"

run_aai --json hello 'Ada "the first" \ Lovelace'
check_equal "hello --json exit code" 0 "$code"
check_equal "hello --json output" '{"greeting":"Hello, Ada \"the first\" \\ Lovelace!","times":1}' \
  "$(jq -c . <<<"$out" 2>&1)"

check_error "hello blank name" 2 "Error: The name is empty or blank.
Suggestion: Pass a name, such as \`aai hello Ada\`." \
  hello "  "
check_error "hello name that is not UTF-8" 2 "Error: The name is not valid UTF-8.
Suggestion: Check the terminal's character encoding." \
  hello $'Ada\xff'
check_error "hello --times 0" 2 \
  "Error: Invalid value '0' for --times: expected a whole number from 1 to 100." \
  hello Ada --times 0
check_error "hello --times 101" 2 \
  "Error: Invalid value '101' for --times: expected a whole number from 1 to 100." \
  hello Ada --times 101

# hello-c built with pkg-config loads and runs the same.
plugin_path=$pkg_config_dir
run_aai hello Grace
check_equal "hello (pkg-config build) exit code" 0 "$code"
check_equal "hello (pkg-config build) output" "Hello, Grace!" "$out"
check_equal "hello (pkg-config build) stderr" "" "$err"
plugin_path="$work/build-word-count:$work/build-hello-c"

# ---------------------------------------------------------------------------------------------
# The path the plugin guide ends with: install the built plugin, see its command in the main help
# and in bash completion, run it; then a junk file in the plugin folder costs one warning only.

plugin_path=""
run_aai plugins install "$word_count_so"
check_equal "plugins install exit code" 0 "$code"
check_equal "plugins install output" \
  "Installed word-count 1.0.0 (commands: word-count) into $home/data/aai/plugins/word-count.so." \
  "$out"

run_aai --help
check_equal "installed: aai --help stderr" "" "$err"
check_contains "installed: aai --help lists word-count" \
  $'\n  word-count  Count the words in text files\n' "$out"

run_aai completion bash
check_equal "completion bash exit code" 0 "$code"
printf '%s\n' "$out" >"$work/aai.bash"
completed=$(bash --norc --noprofile -c '
  source "$1"
  COMP_WORDS=(aai word-)
  COMP_CWORD=1
  COMP_LINE="aai word-"
  COMP_POINT=${#COMP_LINE}
  _aai aai word- aai
  printf "%s\n" "${COMPREPLY[@]}"' bash "$work/aai.bash" 2>&1)
check_equal "bash completes the installed command" "word-count" "$completed"

run_aai word-count first.txt --top 0
check_equal "installed word-count exit code" 0 "$code"
check_equal "installed word-count output" "first.txt: 11 words
Total: 11 words, 8 distinct" "$out"

echo junk >"$home/data/aai/plugins/junk.so"
run_aai word-count first.txt --top 0
check_equal "junk file: word-count exit code" 0 "$code"
check_equal "junk file: the same output" "first.txt: 11 words
Total: 11 words, 8 distinct" "$out"
check_equal "junk file: one warning" \
  "Warning: skipped plugin $home/data/aai/plugins/junk.so: not an ELF shared library. Remove it or move it out of $home/data/aai/plugins." "$err"
rm "$home/data/aai/plugins/junk.so"

run_aai plugins remove word-count
check_equal "plugins remove exit code" 0 "$code"
plugin_path="$work/build-word-count:$work/build-hello-c"

# ---------------------------------------------------------------------------------------------
# word-count's pre-request hook logs each request at -v. The request goes to an emulator that
# this script starts on 127.0.0.1, through the local environment.

"$emulator" --port 0 --data-dir "$work/emulator" >"$work/emulator.out" 2>"$work/emulator.err" &
emulator_pid=$!
port=""
for _ in $(seq 300); do
  port=$(sed -n 's|^listening on http://127\.0\.0\.1:\([0-9]*\)$|\1|p' "$work/emulator.out")
  [[ -n $port ]] && break
  kill -0 "$emulator_pid" 2>/dev/null || break
  sleep 0.1
done
if [[ -z $port ]]; then
  fail "the emulator did not start"
  sed 's/^/    /' "$work/emulator.err"
else
  extra_environment=(AAI_LOCAL_PORT="$port" ASSEMBLYAI_API_KEY=sdk-package-test-key)
  hook_line="[word-count] sending GET http://127.0.0.1:$port/v2/transcript"

  run_aai -v --env local transcripts list --limit 1
  check_equal "transcripts list -v exit code" 0 "$code"
  check_contains "word-count hook at -v" $'\n'"$hook_line"$'\n' $'\n'"$err"$'\n'

  run_aai --env local transcripts list --limit 1
  check_equal "transcripts list exit code" 0 "$code"
  check_not_contains "word-count hook without -v" "[word-count]" "$err"
  extra_environment=()
fi

if [[ $failures -gt 0 ]]; then
  echo "$failures check(s) failed."
  exit 1
fi
echo "All checks passed."
