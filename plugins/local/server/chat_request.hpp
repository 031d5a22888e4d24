// The body of POST /v1/chat/completions, parsed and checked.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "server/api_response.hpp"

namespace aai::local {

/// max_tokens when the request has none, as the aai client sends by default.
inline constexpr int64_t kDefaultMaxTokens = 8192;

struct ChatMessage {
  std::string role;
  std::string content;
};

struct ChatRequest {
  std::string model;
  std::vector<ChatMessage> messages;
  int64_t max_tokens = kDefaultMaxTokens;
  std::optional<double> temperature;
  bool stream = false;
  std::optional<std::string> transcript_id;
};

/// Parses `body`. Returns the request, or the gateway's 400 error naming the first problem.
/// "prompt" becomes one user message. A message's content is a string or an array of
/// {"type": "text", "text": ...} parts, which are joined. Whether the model is known is not
/// checked here.
std::variant<ChatRequest, ApiResponse> parse_chat_request(const std::string& body);

}  // namespace aai::local
