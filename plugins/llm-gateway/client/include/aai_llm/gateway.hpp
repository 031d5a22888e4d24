// A client of AssemblyAI's LLM Gateway (an OpenAI-compatible chat completions API), shared by the
// `llm` command and by `transcribe --llm`. It builds the request body, sends it through the host's
// HTTP service, reads a streamed (server-sent events) or whole answer, and maps the gateway's
// errors to aai::Error.
#pragma once

#include <aai/plugin.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace aai::llm {

inline constexpr const char* kDefaultModel = "claude-haiku-4-5-20251001";
inline constexpr int kDefaultMaxTokens = 8192;

/// The placeholder the gateway replaces with the text of the request's transcript_id.
inline constexpr const char* kTranscriptPlaceholder = "{{ transcript }}";

/// One chat completion request.
struct ChatRequest {
  std::string model = kDefaultModel;
  /// Sent as a first message with role "system" when set.
  std::optional<std::string> system;
  /// The user message's content.
  std::string user;
  /// Makes the gateway substitute this transcript's text for kTranscriptPlaceholder.
  std::optional<std::string> transcript_id;
  int max_tokens = kDefaultMaxTokens;
  std::optional<double> temperature;
  /// Extra body fields (`--config KEY=VALUE`), merged over the fields above.
  nlohmann::json extra = nlohmann::json::object();
  /// Asks for server-sent events; see Gateway::complete.
  bool stream = false;
};

/// The answer to one request.
struct ChatResult {
  /// The model the gateway names in its answer, or the requested one when it names none.
  std::string model;
  std::string output;
  /// The gateway's usage object as sent (input_tokens, output_tokens, total_tokens), or an empty
  /// object.
  nlohmann::json usage = nlohmann::json::object();
};

/// The user content that makes the gateway inject a transcript server-side:
/// PROMPT, a blank line, then kTranscriptPlaceholder.
std::string transcript_prompt(const std::string& prompt);

/// The user content for a prompt over text the client holds: PROMPT, a blank line,
/// "Transcript:", a newline, then TEXT.
std::string text_prompt(const std::string& prompt, const std::string& text);

/// The request body as JSON: model, messages, max_tokens, temperature when set, stream when set,
/// transcript_id when set, then every field of `extra` (which wins over the others).
nlohmann::json build_body(const ChatRequest& request);

/// Model ids the gateway is known to serve, in the order `aai llm --list-models` prints them.
const std::vector<std::string>& known_models();

/// Whether the gateway streams answers of this model (its OpenAI models, ids starting "gpt-").
bool supports_streaming(const std::string& model);

/// Called with each piece of a streamed answer as it arrives.
using DeltaFunction = std::function<void(std::string_view text)>;

class Gateway {
 public:
  /// Requests go to the active environment's `llm_gateway_base` + "/chat/completions".
  explicit Gateway(const aai::Host& host) : host_(host) {}

  /// Sends the request and returns the whole answer. When request.stream is set and the gateway
  /// answers with server-sent events, `on_delta` gets each piece as it arrives; a whole JSON
  /// answer to a streamed request is accepted too. Retries 429 and 5xx through the host. Throws
  /// aai::Error: a refused plan (401/403 whose message speaks of the plan or access) is exit 1
  /// `api_error` quoting the gateway; any other 401 is exit 4 `not_authenticated`; every other
  /// failure is exit 1 `api_error` with the HTTP status and the gateway's message.
  ChatResult complete(const ChatRequest& request, const DeltaFunction& on_delta = {}) const;

 private:
  const aai::Host& host_;
};

}  // namespace aai::llm
