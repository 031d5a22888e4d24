// Sends one request for `aai llm` and prints its answer: live on a terminal, whole otherwise.
#pragma once

#include <aai/plugin.hpp>
#include <aai_llm/gateway.hpp>

#include <string>

namespace llm {

/// One request's answer and whether its text already reached stdout piece by piece.
struct Answer {
  aai::llm::ChatResult result;
  bool printed_live = false;
};

/// Sends the request. With `live` set and a model that streams, each piece goes to stdout as it
/// arrives and the request asks for server-sent events; otherwise nothing is printed. When a live
/// answer fails half way, a newline ends the printed part before the error is thrown.
Answer ask(const aai::Host& host, aai::llm::ChatRequest request, bool live);

/// Prints an answer in text form: the text then a newline, or only the newline when the text
/// was printed live.
void print_text_answer(const aai::Host& host, const Answer& answer);

/// Serializes a value on one line; invalid UTF-8 from the gateway becomes U+FFFD.
std::string json_line(const nlohmann::json& value);

}  // namespace llm
