// Request bodies and the model list; declared in aai_llm/gateway.hpp.
#include <aai_llm/gateway.hpp>
#include <aai_llm/model_ids.hpp>

namespace aai::llm {

std::string transcript_prompt(const std::string& prompt) {
  return prompt + "\n\n" + kTranscriptPlaceholder;
}

std::string text_prompt(const std::string& prompt, const std::string& text) {
  return prompt + "\n\nTranscript:\n" + text;
}

nlohmann::json build_body(const ChatRequest& request) {
  nlohmann::json messages = nlohmann::json::array();
  if (request.system) {
    messages.push_back({{"role", "system"}, {"content", *request.system}});
  }
  messages.push_back({{"role", "user"}, {"content", request.user}});

  nlohmann::json body = {
      {"model", request.model}, {"messages", messages}, {"max_tokens", request.max_tokens}};
  if (request.temperature) {
    body["temperature"] = *request.temperature;
  }
  if (request.stream) {
    body["stream"] = true;
  }
  if (request.transcript_id) {
    body["transcript_id"] = *request.transcript_id;
  }
  if (request.extra.is_object()) {
    for (const auto& [key, value] : request.extra.items()) {
      body[key] = value;
    }
  }
  return body;
}

const std::vector<std::string>& known_models() {
  static const std::vector<std::string> models(kKnownModelIds.begin(), kKnownModelIds.end());
  return models;
}

bool supports_streaming(const std::string& model) {
  return model_streams_answers(model);
}

}  // namespace aai::llm
