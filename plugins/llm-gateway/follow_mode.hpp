// `aai llm --follow`: answers the prompt again over all lines read so far, each time new lines
// arrive on standard input.
#pragma once

#include <aai/plugin.hpp>
#include <aai_llm/gateway.hpp>

#include <string>

namespace llm {

/// Reads lines until the end of input. `base` carries every request setting but the user
/// message, which each run builds from `prompt` and the lines. Lines that arrive during a
/// request are answered together in the next one. Returns the exit code; throws aai::Error with
/// exit 2 when the input ends before its first line, and exit 130 on Ctrl-C.
int run_follow(const aai::Host& host, const aai::llm::ChatRequest& base, const std::string& prompt,
               bool json);

}  // namespace llm
