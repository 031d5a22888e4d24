// The answer of POST /v1/chat/completions and its two wire forms: one JSON object, or
// server-sent events.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/chat_request.hpp"

namespace aai::local {

/// The `model` of every answer: the responder, not the model the request named.
inline constexpr const char* kResponderModel = "aai-local-extractive";

struct ChatCompletion {
  std::string request_id;
  std::string answer;
  /// "stop", or "length" when the answer was cut to max_tokens.
  std::string finish_reason = "stop";
  uint64_t input_tokens = 0;
  uint64_t output_tokens = 0;
};

/// Returns the whole JSON response to `request`.
nlohmann::json completion_json(const ChatCompletion& completion, const ChatRequest& request);

/// Splits `answer` into the pieces a stream sends: each word with the whitespace after it.
/// Joined, the pieces are `answer`.
std::vector<std::string> split_stream_pieces(std::string_view answer);

/// Returns the server-sent events of a streamed answer, each ending in a blank line: a comment
/// naming the emulator, one chunk per piece, a last chunk with finish_reason and usage, and
/// "data: [DONE]".
std::vector<std::string> completion_events(const ChatCompletion& completion);

}  // namespace aai::local
