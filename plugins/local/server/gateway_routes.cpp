#include "server/gateway_routes.hpp"

#include <boost/algorithm/string/predicate.hpp>
#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>

#include "server/chat_completion.hpp"
#include "server/extractive_responder.hpp"
#include "server/gateway_errors.hpp"
#include "server/gateway_models.hpp"
#include "server/query_string.hpp"
#include "server/token_count.hpp"

namespace aai::local {

namespace {

using nlohmann::json;

constexpr std::string_view kTranscriptPlaceholder = "{{ transcript }}";

std::string new_request_id() {
  static thread_local boost::uuids::random_generator generator;
  return boost::uuids::to_string(generator());
}

ApiResponse list_models() {
  json data = json::array();
  for (const GatewayModel& model : gateway_models()) {
    data.push_back({{"id", model.id}, {"object", "model"}, {"owned_by", model.owned_by}});
  }
  return json_response(200, {{"object", "list"}, {"data", std::move(data)}});
}

void replace_all(std::string& text, std::string_view from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

// Returns the user messages joined by a blank line: the responder's input.
std::string user_input(const ChatRequest& request) {
  std::string input;
  for (const ChatMessage& message : request.messages) {
    if (message.role != "user") {
      continue;
    }
    if (!input.empty()) {
      input += "\n\n";
    }
    input += message.content;
  }
  return input;
}

ChatCompletion answer(const ChatRequest& request, uint64_t input_tokens) {
  TrimmedText trimmed = trim_to_tokens(extractive_answer(user_input(request)),
                                       static_cast<uint64_t>(request.max_tokens));
  ChatCompletion completion;
  completion.request_id = new_request_id();
  completion.answer = std::move(trimmed.text);
  completion.finish_reason = trimmed.trimmed ? "length" : "stop";
  completion.input_tokens = input_tokens;
  completion.output_tokens = count_tokens(completion.answer);
  return completion;
}

}  // namespace

std::string key_from_authorization(const std::string& authorization) {
  constexpr std::string_view kScheme = "Bearer ";
  if (boost::algorithm::istarts_with(authorization, kScheme)) {
    return authorization.substr(kScheme.size());
  }
  return authorization;
}

GatewayRoutes::GatewayRoutes(const TranscriptStore& store, const ApiKeys& keys,
                             FaultInjector& faults)
    : store_(store), keys_(keys), faults_(faults) {}

ApiResponse GatewayRoutes::handle(const ApiRequest& request) {
  if (auto problem = access_problem(request.authorization)) {
    return *problem;
  }
  const std::string path = parse_target(request.target).path;
  if (auto fault = faults_.take(request.method, path)) {
    return *fault;
  }
  const char* method = nullptr;
  if (path == "/v1/models") {
    method = "GET";
  } else if (path == "/v1/chat/completions") {
    method = "POST";
  } else {
    return gateway_error(404, "No such endpoint: " + path +
                                  ". The emulator's LLM Gateway serves POST /v1/chat/completions "
                                  "and GET /v1/models.");
  }
  if (request.method != method) {
    return gateway_error(
        405, "Method " + request.method + " is not allowed on " + path + "; use " + method + ".");
  }
  return path == "/v1/models" ? list_models() : complete(request.body);
}

std::optional<ApiResponse> GatewayRoutes::access_problem(const std::string& authorization) const {
  const std::string key = key_from_authorization(authorization);
  if (!keys_.accepts(key)) {
    return gateway_error(401, kGatewayInvalidKey);
  }
  // A key of an account follows its organization's flag; the --api-key value and, in open mode,
  // keys of no account have access.
  auto owner = keys_.find_owner(key);
  if (owner && !owner->llm_gateway) {
    return gateway_error(403, kGatewayPlanRefused);
  }
  return std::nullopt;
}

ApiResponse GatewayRoutes::complete(const std::string& body) const {
  auto parsed = parse_chat_request(body);
  if (auto* error = std::get_if<ApiResponse>(&parsed)) {
    return *error;
  }
  ChatRequest& request = std::get<ChatRequest>(parsed);
  if (!is_gateway_model(request.model)) {
    return gateway_error(
        400, "Model '" + request.model + "' is not available. GET /v1/models lists the models.");
  }
  if (auto problem = inject_transcript(request)) {
    return *problem;
  }
  uint64_t input_tokens = 0;
  for (const ChatMessage& message : request.messages) {
    input_tokens += count_tokens(message.content);
  }
  if (input_tokens > kGatewayContextTokens) {
    return gateway_error(
        400, "The request has " + std::to_string(input_tokens) + " input tokens, more than the " +
                 std::to_string(kGatewayContextTokens) + " that " + request.model + " accepts.");
  }

  ChatCompletion completion = answer(request, input_tokens);
  if (request.stream && streams_answers(request.model)) {
    ApiResponse response{200, "text/event-stream", {}, {{"Cache-Control", "no-cache"}}};
    response.events = completion_events(completion);
    return response;
  }
  return json_response(200, completion_json(completion, request));
}

std::optional<ApiResponse> GatewayRoutes::inject_transcript(ChatRequest& request) const {
  if (!request.transcript_id) {
    return std::nullopt;
  }
  const std::string& id = *request.transcript_id;
  auto record = store_.find(id);
  if (!record) {
    return gateway_error(404, "Transcript '" + id + "' was not found.");
  }
  const std::string status = record->status();
  if (status != "completed") {
    return gateway_error(400, "Transcript '" + id + "' is not completed (status: " + status + ").");
  }
  const json& text = record->transcript["text"];
  const std::string transcript_text = text.is_string() ? text.get<std::string>() : std::string();
  for (ChatMessage& message : request.messages) {
    replace_all(message.content, kTranscriptPlaceholder, transcript_text);
  }
  return std::nullopt;
}

}  // namespace aai::local
