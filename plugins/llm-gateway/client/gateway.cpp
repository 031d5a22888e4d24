#include <aai_llm/gateway.hpp>

#include <exception>

#include "answer_reader.hpp"
#include "gateway_errors.hpp"

namespace aai::llm {
namespace {

// The host retries 429, 500, 502, 503, 504 and failed connections this many times.
constexpr uint32_t kMaxRetries = 3;

// A long response from a large model can take minutes; the host's default would cut it at five.
constexpr uint32_t kRequestTimeoutMs = 10 * 60 * 1000;

std::string header_value(const aai::HttpResponse& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) {
      return value;
    }
  }
  return {};
}

}  // namespace

ChatResult Gateway::complete(const ChatRequest& request, const DeltaFunction& on_delta) const {
  const std::string base = host_.require_environment_field("llm_gateway_base");
  AnswerReader reader(request.model, on_delta);

  aai::HttpRequest http;
  http.method = "POST";
  http.url = base + "/chat/completions";
  http.headers = {
      {"Content-Type", "application/json"},
      {"Accept", request.stream ? "text/event-stream, application/json" : "application/json"}};
  // Invalid UTF-8 in a --config value becomes U+FFFD instead of failing the whole request.
  http.body = build_body(request).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  http.timeout_ms = kRequestTimeoutMs;
  http.keep_unauthorized = true;
  http.stream_success_only = true;
  http.max_retries = kMaxRetries;

  // An exception must not unwind through the host's C code. The body callback keeps it and stops
  // the transfer, and it is rethrown once send returns.
  std::exception_ptr callback_error;
  if (request.stream) {
    http.on_body = [&](const char* data, size_t size) {
      try {
        reader.feed(std::string_view(data, size));
        return true;
      } catch (...) {
        callback_error = std::current_exception();
        return false;
      }
    };
  }

  aai::HttpResponse response;
  try {
    response = host_.send(http);
  } catch (const aai::Error&) {
    if (callback_error) {
      std::rethrow_exception(callback_error);
    }
    throw;
  }
  if (callback_error) {
    std::rethrow_exception(callback_error);
  }

  if (response.status < 200 || response.status > 299) {
    // A host older than ABI 1.3 passes error bodies to on_body too; the reader kept them.
    const std::string& body = response.body.empty() ? reader.buffered_body() : response.body;
    throw gateway_error(response.status, body, kMaxRetries + 1);
  }
  if (!response.body.empty()) {
    reader.feed(response.body);
  }
  return reader.finish(header_value(response, "content-type"));
}

}  // namespace aai::llm
