#include "server/chat_request.hpp"

#include <nlohmann/json.hpp>

#include "server/gateway_errors.hpp"

namespace aai::local {

namespace {

using nlohmann::json;

// Thrown inside this file only, to stop at the first problem; parse_chat_request catches it.
struct InvalidField {
  std::string message;
};

// Returns the text of a message's content: a string, or an array of text parts.
std::string content_text(const json& content, const std::string& field) {
  if (content.is_string()) {
    return content.get<std::string>();
  }
  const std::string problem = "'" + field + "' must be a string or an array of text parts.";
  if (!content.is_array()) {
    throw InvalidField{problem};
  }
  std::string text;
  for (const json& part : content) {
    if (!part.is_object() || part.value("type", json()) != "text" || !part.contains("text") ||
        !part["text"].is_string()) {
      throw InvalidField{problem};
    }
    text += part["text"].get<std::string>();
  }
  return text;
}

std::vector<ChatMessage> parse_messages(const json& messages) {
  if (!messages.is_array() || messages.empty()) {
    throw InvalidField{"'messages' must be a non-empty array."};
  }
  std::vector<ChatMessage> parsed;
  for (size_t i = 0; i < messages.size(); ++i) {
    const std::string field = "messages[" + std::to_string(i) + "]";
    const json& message = messages[i];
    if (!message.is_object() || !message.contains("role") || !message.contains("content")) {
      throw InvalidField{"'" + field + "' must be an object with 'role' and 'content'."};
    }
    const json& role = message["role"];
    if (role != "system" && role != "user" && role != "assistant") {
      throw InvalidField{"'" + field +
                         ".role' must be \"system\", \"user\" or \"assistant\", not " +
                         role.dump() + "."};
    }
    parsed.push_back(
        {role.get<std::string>(), content_text(message["content"], field + ".content")});
  }
  return parsed;
}

bool has(const json& body, const char* field) {
  return body.contains(field) && !body[field].is_null();
}

void parse_options(const json& body, ChatRequest& request) {
  if (has(body, "max_tokens")) {
    if (!body["max_tokens"].is_number_integer()) {
      throw InvalidField{"'max_tokens' must be an integer."};
    }
    request.max_tokens = body["max_tokens"].get<int64_t>();
    if (request.max_tokens < 1) {
      throw InvalidField{"'max_tokens' must be at least 1."};
    }
  }
  if (has(body, "temperature")) {
    const json& temperature = body["temperature"];
    if (!temperature.is_number() || temperature.get<double>() < 0 ||
        temperature.get<double>() > 2) {
      throw InvalidField{"'temperature' must be between 0 and 2."};
    }
    request.temperature = temperature.get<double>();
  }
  if (has(body, "stream")) {
    if (!body["stream"].is_boolean()) {
      throw InvalidField{"'stream' must be true or false."};
    }
    request.stream = body["stream"].get<bool>();
  }
  if (has(body, "transcript_id")) {
    const json& id = body["transcript_id"];
    if (!id.is_string() || id.get<std::string>().empty()) {
      throw InvalidField{"'transcript_id' must be a non-empty string."};
    }
    request.transcript_id = id.get<std::string>();
  }
}

ChatRequest parse_fields(const json& body) {
  if (!body.is_object()) {
    throw InvalidField{"Request body must be a JSON object."};
  }
  if (!has(body, "model")) {
    throw InvalidField{"The field 'model' is required."};
  }
  if (!body["model"].is_string()) {
    throw InvalidField{"The field 'model' must be a string."};
  }
  ChatRequest request;
  request.model = body["model"].get<std::string>();
  const bool has_messages = has(body, "messages");
  const bool has_prompt = has(body, "prompt");
  if (!has_messages && !has_prompt) {
    throw InvalidField{"Either 'messages' or 'prompt' is required."};
  }
  if (has_messages && has_prompt) {
    throw InvalidField{"Give either 'messages' or 'prompt', not both."};
  }
  if (has_prompt) {
    if (!body["prompt"].is_string()) {
      throw InvalidField{"'prompt' must be a string."};
    }
    request.messages.push_back({"user", body["prompt"].get<std::string>()});
  } else {
    request.messages = parse_messages(body["messages"]);
  }
  parse_options(body, request);
  return request;
}

}  // namespace

std::variant<ChatRequest, ApiResponse> parse_chat_request(const std::string& body) {
  json parsed;
  try {
    parsed = json::parse(body);
  } catch (const json::parse_error& error) {
    // nlohmann's messages start with an id such as "[json.exception.parse_error.101] ".
    std::string why = error.what();
    size_t id_end = why.find("] ");
    if (id_end != std::string::npos) {
      why.erase(0, id_end + 2);
    }
    return gateway_error(400, "Request body is not valid JSON: " + why + ".");
  }
  try {
    return parse_fields(parsed);
  } catch (const InvalidField& invalid) {
    return gateway_error(400, invalid.message);
  }
}

}  // namespace aai::local
