#include "server/chat_completion.hpp"

#include <cctype>

namespace aai::local {

namespace {

using nlohmann::json;

json usage_json(const ChatCompletion& completion) {
  return {{"input_tokens", completion.input_tokens},
          {"output_tokens", completion.output_tokens},
          {"total_tokens", completion.input_tokens + completion.output_tokens}};
}

json chunk_json(const ChatCompletion& completion, json delta, json finish_reason) {
  return {{"id", completion.request_id},
          {"object", "chat.completion.chunk"},
          {"model", kResponderModel},
          {"choices", json::array({{{"index", 0},
                                    {"delta", std::move(delta)},
                                    {"finish_reason", std::move(finish_reason)}}})}};
}

std::string data_event(const json& payload) {
  return "data: " + payload.dump() + "\n\n";
}

}  // namespace

json completion_json(const ChatCompletion& completion, const ChatRequest& request) {
  json echoed = {{"model", request.model}, {"max_tokens", request.max_tokens}};
  if (request.temperature) {
    echoed["temperature"] = *request.temperature;
  }
  json message = {{"role", "assistant"}, {"content", completion.answer}};
  return {{"request_id", completion.request_id},
          {"model", kResponderModel},
          {"choices", json::array({{{"index", 0},
                                    {"message", std::move(message)},
                                    {"finish_reason", completion.finish_reason}}})},
          {"request", std::move(echoed)},
          {"usage", usage_json(completion)},
          {"http_status_code", 200}};
}

std::vector<std::string> split_stream_pieces(std::string_view answer) {
  std::vector<std::string> pieces;
  size_t start = 0;
  for (size_t i = 0; i < answer.size(); ++i) {
    bool word_ends =
        std::isspace(static_cast<unsigned char>(answer[i])) != 0 &&
        (i + 1 == answer.size() || std::isspace(static_cast<unsigned char>(answer[i + 1])) == 0);
    if (word_ends) {
      pieces.emplace_back(answer.substr(start, i + 1 - start));
      start = i + 1;
    }
  }
  if (start < answer.size()) {
    pieces.emplace_back(answer.substr(start));
  }
  return pieces;
}

std::vector<std::string> completion_events(const ChatCompletion& completion) {
  std::vector<std::string> events = {": aai local emulator\n\n"};
  for (std::string& piece : split_stream_pieces(completion.answer)) {
    events.push_back(data_event(chunk_json(completion, {{"content", std::move(piece)}}, nullptr)));
  }
  json last = chunk_json(completion, json::object(), completion.finish_reason);
  last["usage"] = usage_json(completion);
  events.push_back(data_event(last));
  events.push_back("data: [DONE]\n\n");
  return events;
}

}  // namespace aai::local
