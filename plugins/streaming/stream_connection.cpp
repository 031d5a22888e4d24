#include "stream_connection.hpp"

#include <nlohmann/json.hpp>

#include "stream_url.hpp"

namespace streaming {
namespace {

// Time allowed for the TCP connection and the WebSocket handshake.
constexpr uint32_t kConnectTimeoutMs = 15000;

std::string error_field(const std::string& body) {
  const nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_object() && parsed.contains("error") && parsed["error"].is_string()) {
    return parsed["error"].get<std::string>();
  }
  return body.substr(0, 200);
}

std::string fetch_temporary_token(const aai::Host& host, const std::string& streaming_base) {
  aai::HttpRequest request;
  request.url = token_url(streaming_base);
  const aai::HttpResponse response = host.send(request);
  if (response.status != 200) {
    throw aai::Error(AAI_EXIT_FAILURE, "api_error",
                     "Could not get a temporary streaming token: HTTP " +
                         std::to_string(response.status) + ": " + error_field(response.body),
                     "Run the command again without --temp-token to connect with the API key.");
  }
  const nlohmann::json parsed = nlohmann::json::parse(response.body, nullptr, false);
  if (!parsed.is_object() || !parsed.contains("token") || !parsed["token"].is_string() ||
      parsed["token"].get<std::string>().empty()) {
    throw aai::Error(AAI_EXIT_FAILURE, "api_error",
                     "The temporary token response has no token: " + response.body.substr(0, 200),
                     "Run the command again without --temp-token to connect with the API key.");
  }
  const std::string token = parsed["token"].get<std::string>();
  host.add_secret(token);
  return token;
}

}  // namespace

void WebSocketConnection::send_audio(const std::string& bytes) {
  socket_.send_binary(bytes.data(), bytes.size());
}

void WebSocketConnection::send_text(const std::string& text) {
  socket_.send_text(text);
}

aai::WebSocketEvent WebSocketConnection::receive(std::chrono::milliseconds timeout) {
  return socket_.receive(static_cast<uint32_t>(timeout.count()));
}

void WebSocketConnection::close() {
  socket_.close(1000);
}

std::unique_ptr<StreamConnection> connect_session(const aai::Host& host,
                                                  const std::map<std::string, std::string>& query,
                                                  int sample_rate, bool temporary_token) {
  const std::string base = host.require_environment_field("streaming_base");
  aai::WebSocketRequest request;
  request.connect_timeout_ms = kConnectTimeoutMs;
  if (temporary_token) {
    request.url = session_url(base, query, sample_rate, fetch_temporary_token(host, base));
    request.anonymous = true;
  } else {
    request.url = session_url(base, query, sample_rate);
  }
  host.info("Connecting to " + base + "/v3/ws at " + std::to_string(sample_rate) + " Hz");
  return std::make_unique<WebSocketConnection>(host.connect_websocket(request));
}

}  // namespace streaming
