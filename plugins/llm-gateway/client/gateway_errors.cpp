#include "gateway_errors.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

#include <nlohmann/json.hpp>

namespace aai::llm {
namespace {

// Cuts at most `max_bytes` bytes without splitting a UTF-8 sequence.
std::string utf8_prefix(const std::string& text, size_t max_bytes) {
  if (text.size() <= max_bytes) {
    return text;
  }
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
    --end;
  }
  return text.substr(0, end);
}

std::string trimmed(std::string text) {
  auto is_space = [](unsigned char c) { return std::isspace(c) != 0; };
  text.erase(text.begin(), std::find_if_not(text.begin(), text.end(), is_space));
  text.erase(std::find_if_not(text.rbegin(), text.rend(), is_space).base(), text.end());
  return text;
}

std::string lower_case(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// The gateway's words for an account whose plan lacks LLM Gateway access.
bool mentions_plan(const std::string& message) {
  static constexpr std::array<std::string_view, 5> kWords = {"plan", "billing", "access", "upgrade",
                                                             "subscription"};
  const std::string lowered = lower_case(message);
  return std::any_of(kWords.begin(), kWords.end(), [&](std::string_view word) {
    return lowered.find(word) != std::string::npos;
  });
}

bool is_retried_status(int status) {
  return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

bool is_unknown_model(int status, const std::string& message) {
  return status == 400 && message.rfind("Model '", 0) == 0 &&
         message.find("is not available") != std::string::npos;
}

}  // namespace

std::string gateway_message(const std::string& body) {
  const nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_object()) {
    const auto error = parsed.find("error");
    if (error != parsed.end() && error->is_object()) {
      const auto message = error->find("message");
      if (message != error->end() && message->is_string()) {
        return message->get<std::string>();
      }
    }
    if (error != parsed.end() && error->is_string()) {
      return error->get<std::string>();
    }
    const auto message = parsed.find("message");
    if (message != parsed.end() && message->is_string()) {
      return message->get<std::string>();
    }
  }
  const std::string quoted = trimmed(utf8_prefix(body, kMaxQuotedBodyBytes));
  return quoted.empty() ? "no message" : quoted;
}

aai::Error gateway_error(int status, const std::string& body, uint32_t attempts) {
  const std::string message = gateway_message(body);
  const std::string code = std::to_string(status);
  if ((status == 401 || status == 403) && mentions_plan(message)) {
    return aai::Error(AAI_EXIT_FAILURE, "api_error",
                      "The LLM Gateway refused the request (HTTP " + code + "): " + message,
                      "LLM Gateway access comes with a paid AssemblyAI plan; check your plan in "
                      "the AssemblyAI dashboard.");
  }
  if (status == 401) {
    return aai::Error(AAI_EXIT_NOT_AUTHENTICATED, "not_authenticated",
                      "Your API key was rejected by the LLM Gateway.",
                      "Check the key, or run `aai login` to get a new one.");
  }
  if (status == 403) {
    return aai::Error(AAI_EXIT_FAILURE, "api_error",
                      "The LLM Gateway refused the request (HTTP 403): " + message,
                      "Check that nothing between you and the gateway (a proxy or firewall) "
                      "blocks it.");
  }
  if (is_retried_status(status)) {
    return aai::Error(AAI_EXIT_FAILURE, "api_error",
                      "The LLM Gateway answered HTTP " + code + " after " +
                          std::to_string(attempts) + " attempts: " + message,
                      "The gateway is busy; wait a minute and try again.");
  }
  std::string suggestion;
  if (is_unknown_model(status, message)) {
    suggestion = "`aai llm --list-models` lists the known models.";
  }
  return aai::Error(AAI_EXIT_FAILURE, "api_error",
                    "The LLM Gateway rejected the request (HTTP " + code + "): " + message,
                    suggestion);
}

aai::Error unreadable_answer(const std::string& reason) {
  return aai::Error(AAI_EXIT_FAILURE, "api_error",
                    "The LLM Gateway's answer could not be read: " + reason + ".");
}

aai::Error stream_cut_error() {
  return aai::Error(AAI_EXIT_FAILURE, "api_error",
                    "The LLM Gateway's streamed answer stopped before it was complete.");
}

}  // namespace aai::llm
