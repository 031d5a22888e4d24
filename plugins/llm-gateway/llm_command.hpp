// `aai llm PROMPT [FILES...]`: sends a prompt, with a transcript, files or standard input, to
// AssemblyAI's LLM Gateway and prints the answer.
#pragma once

#include <aai/plugin.hpp>

namespace llm {

aai::Command llm_command();

int run_llm(const aai::Host& host, const aai::Invocation& invocation);

}  // namespace llm
