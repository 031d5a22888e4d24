#include "websocket_service.hpp"

#include "application.hpp"
#include "url_origin.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>

// An open connection as plugins hold it. The event's strings back the pointers that receive
// hands out, so they stay valid until the next call on this connection.
struct aai_websocket {
  std::unique_ptr<aai::host::WebSocketConnection> connection;

  // The URL without its query, for messages: a query may carry a temporary token.
  std::string url;
  aai::host::WebSocketEvent last_event;
  bool close_started = false;
};

namespace aai::host {

namespace {

constexpr std::string_view kLogSource = "aai";
constexpr size_t kMaxLoggedText = 1000;
constexpr size_t kMaxQuotedBody = 200;

static_assert(static_cast<int>(WebSocketEvent::Kind::kTimeout) == AAI_WEBSOCKET_TIMEOUT &&
              static_cast<int>(WebSocketEvent::Kind::kText) == AAI_WEBSOCKET_TEXT &&
              static_cast<int>(WebSocketEvent::Kind::kBinary) == AAI_WEBSOCKET_BINARY &&
              static_cast<int>(WebSocketEvent::Kind::kClosed) == AAI_WEBSOCKET_CLOSED);

Application& app_of(const aai_host_t* host) {
  return *static_cast<PluginHost*>(host->host_data)->application;
}

std::string without_query(const std::string& url) {
  return url.substr(0, url.find_first_of("?#"));
}

std::string host_and_port(const UrlOrigin& origin) {
  return origin.host + ":" + std::to_string(origin.port);
}

// Ends a reason quoted from a server with a period unless it already ends a sentence.
std::string as_sentence_end(std::string reason) {
  while (!reason.empty() && std::isspace(static_cast<unsigned char>(reason.back()))) {
    reason.pop_back();
  }
  if (reason.empty() || reason.back() == '.' || reason.back() == '!' || reason.back() == '?') {
    return reason;
  }
  return reason + ".";
}

// The body's "error" field when it is JSON with one, otherwise the body on one line, shortened.
std::string error_from_body(const std::string& body) {
  auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_object() && parsed.contains("error") && parsed["error"].is_string()) {
    return parsed["error"].get<std::string>();
  }
  std::string reason;
  for (char c : body) {
    bool is_space = std::isspace(static_cast<unsigned char>(c)) != 0;
    if (!is_space || (!reason.empty() && reason.back() != ' ')) {
      reason += is_space ? ' ' : c;
    }
  }
  if (reason.size() > kMaxQuotedBody) {
    reason = reason.substr(0, kMaxQuotedBody) + "...";
  }
  return reason;
}

CliError rejected_handshake_error(const UrlOrigin& origin, int status, const std::string& body) {
  std::string reason = error_from_body(body);
  std::string message = "The server at " + host_and_port(origin) +
                        " rejected the WebSocket handshake (HTTP " + std::to_string(status) + ")";
  message += reason.empty() ? "." : ": " + as_sentence_end(reason);
  return CliError(1, "api_error", message,
                  "Run with -vv to see the handshake request and response.");
}

CliError connect_error(const TransportError& error, const UrlOrigin& origin, const std::string& url,
                       const std::optional<ProxyServer>& proxy) {
  std::string failed = "Could not connect to " + host_and_port(origin) + " (" + url +
                       "): " + as_sentence_end(error.what());
  switch (error.kind()) {
    case TransportError::Kind::kCancelled:
      return CliError(130, "interrupted", "Interrupted.");
    case TransportError::Kind::kConnectTimedOut:
    case TransportError::Kind::kTimedOut:
      return CliError(1, "connection_error", failed,
                      "Raise the connect timeout with AAI_CONNECT_TIMEOUT=SECONDS or `aai config "
                      "set network.connect_timeout SECONDS`, or check your network connection.");
    case TransportError::Kind::kInvalidUrl:
      return CliError(1, "invalid_url",
                      "Invalid WebSocket URL '" + url + "': " + as_sentence_end(error.what()));
    case TransportError::Kind::kTlsFailed:
      return CliError(1, "connection_error", failed,
                      "If a company proxy or CA signs the server's certificate, point "
                      "SSL_CERT_FILE at that CA's PEM file; see docs/network.md.");
    default:
      break;
  }
  if (proxy) {
    return CliError(1, "connection_error", failed,
                    "Check that the proxy " + proxy->url() +
                        " is reachable, or list the host in NO_PROXY to connect directly.");
  }
  if (is_loopback(origin)) {
    return CliError(1, "connection_error", failed,
                    "Check that the local emulator is running on " + host_and_port(origin) + ".");
  }
  return CliError(1, "connection_error", failed, "Check your network connection and try again.");
}

UrlOrigin require_websocket_origin(const std::string& url) {
  auto origin = parse_origin(url);
  if (!origin || (origin->scheme != "ws" && origin->scheme != "wss")) {
    throw CliError(
        1, "invalid_url",
        "Invalid WebSocket URL '" + without_query(url) + "': expected an absolute ws or wss URL.",
        "Check the environment's endpoints with `aai env list`.");
  }
  return *origin;
}

// Runs the hooks, connects and checks the handshake response.
std::unique_ptr<aai_websocket> open_websocket(RequestPipeline& pipeline,
                                              const aai_websocket_request_t& raw) {
  TransportRequest handshake;
  handshake.method = "WEBSOCKET";
  handshake.url = raw.url != nullptr ? raw.url : "";
  UrlOrigin origin = require_websocket_origin(handshake.url);
  for (uint32_t i = 0; i < raw.header_count; ++i) {
    if (raw.headers[i].name != nullptr && raw.headers[i].value != nullptr) {
      handshake.headers.emplace_back(raw.headers[i].name, raw.headers[i].value);
    }
  }
  RequestContext& context = pipeline.context();
  if (context.is_interrupted()) {
    throw CliError(130, "interrupted", "Interrupted.");
  }
  bool carries_credential = pipeline.apply_hooks(handshake, raw.anonymous);
  pipeline.apply_network_settings(handshake);
  pipeline.log_request(handshake);

  WebSocketConnectRequest request;
  request.url = handshake.url;
  request.headers = handshake.headers;
  request.connect_timeout = raw.connect_timeout_ms != 0
                                ? std::chrono::milliseconds(raw.connect_timeout_ms)
                                : handshake.connect_timeout;
  request.proxy = handshake.proxy;
  request.ca_file = handshake.ca_file;
  request.ca_dir = handshake.ca_dir;
  request.is_cancelled = [&context] { return context.is_interrupted(); };

  auto socket = std::make_unique<aai_websocket>();
  socket->url = without_query(handshake.url);
  auto started = std::chrono::steady_clock::now();
  WebSocketHandshake response;
  try {
    response = pipeline.websocket_transport().connect(request);
  } catch (const TransportError& error) {
    throw connect_error(error, origin, socket->url, request.proxy);
  }
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  pipeline.log().write(kLogSource, AAI_LOG_DEBUG,
                       "< " + std::to_string(response.status) + " WEBSOCKET " +
                           redact_url(handshake.url) + " (" + std::to_string(elapsed.count()) +
                           " ms)");

  if (response.status == 401 && carries_credential) {
    throw rejected_key_error();
  }
  if (response.status != 101 || !response.connection) {
    throw rejected_handshake_error(origin, response.status, response.body);
  }
  socket->connection = std::move(response.connection);
  return socket;
}

void log_frame(LogSink& log, const char* direction, bool binary, const std::string& data) {
  if (!log.is_enabled(AAI_LOG_DEBUG)) {
    return;
  }
  std::string line = std::string("ws ") + direction;
  if (binary) {
    line += " binary " + std::to_string(data.size()) + " bytes";
  } else if (data.size() > kMaxLoggedText) {
    line += " text " + data.substr(0, kMaxLoggedText) + "... (" + std::to_string(data.size()) +
            " bytes)";
  } else {
    line += " text " + data;
  }
  log.write(kLogSource, AAI_LOG_DEBUG, line);
}

void log_close(LogSink& log, const char* direction, int code, const std::string& reason) {
  log.write(kLogSource, AAI_LOG_DEBUG,
            std::string("ws ") + direction + " close " + std::to_string(code) +
                (reason.empty() ? "" : " " + reason));
}

aai_status_t websocket_connect(const aai_host_t* host, const aai_websocket_request_t* request,
                               aai_websocket_t** socket) {
  if (socket != nullptr) {
    *socket = nullptr;
  }
  Application& app = app_of(host);
  std::optional<CliError>& last_error = app.http().last_websocket_error();
  last_error.reset();
  try {
    if (request == nullptr || socket == nullptr) {
      throw CliError(1, "internal_error", "Invalid WebSocket request from a plugin.",
                     "Report this to the plugin's authors.");
    }
    *socket = open_websocket(app.http(), *request).release();
    return AAI_STATUS_OK;
  } catch (const CliError& error) {
    last_error = error;
  } catch (const std::exception& error) {
    last_error = CliError(1, "internal_error", error.what());
  }
  return AAI_STATUS_ERROR;
}

aai_status_t websocket_send(const aai_host_t* host, aai_websocket_t* socket, bool binary,
                            const char* data, size_t size) {
  Application& app = app_of(host);
  std::optional<CliError>& last_error = app.http().last_websocket_error();
  last_error.reset();
  if (socket == nullptr || (data == nullptr && size != 0)) {
    last_error = CliError(1, "internal_error", "Invalid WebSocket message from a plugin.",
                          "Report this to the plugin's authors.");
    return AAI_STATUS_ERROR;
  }
  try {
    std::string payload(data != nullptr ? data : "", size);
    log_frame(app.log(), ">", binary, payload);
    socket->connection->send(binary, payload);
    return AAI_STATUS_OK;
  } catch (const TransportError& error) {
    last_error = CliError(
        1, "connection_error",
        "Could not send a message to " + socket->url + ": " + as_sentence_end(error.what()));
  } catch (const std::exception& error) {
    last_error = CliError(1, "internal_error", error.what());
  }
  return AAI_STATUS_ERROR;
}

aai_status_t websocket_receive(const aai_host_t* host, aai_websocket_t* socket, uint32_t timeout_ms,
                               aai_websocket_event_t* event) {
  if (socket == nullptr || event == nullptr) {
    return AAI_STATUS_ERROR;
  }
  try {
    WebSocketEvent& received = socket->last_event;
    bool was_closed = received.kind == WebSocketEvent::Kind::kClosed;
    received = socket->connection->receive(std::chrono::milliseconds(timeout_ms));
    LogSink& log = app_of(host).log();
    if (received.kind == WebSocketEvent::Kind::kText ||
        received.kind == WebSocketEvent::Kind::kBinary) {
      log_frame(log, "<", received.kind == WebSocketEvent::Kind::kBinary, received.data);
    } else if (received.kind == WebSocketEvent::Kind::kClosed && !was_closed) {
      log_close(log, "<", received.close_code, received.close_reason);
    }

    event->kind = static_cast<aai_websocket_event_kind_t>(received.kind);
    event->data = received.data.c_str();
    event->size = received.data.size();
    event->close_code = received.close_code;
    event->close_reason = received.close_reason.c_str();
    return AAI_STATUS_OK;
  } catch (const std::exception& error) {
    app_of(host).http().last_websocket_error() = CliError(1, "internal_error", error.what());
    return AAI_STATUS_ERROR;
  }
}

aai_status_t websocket_close(const aai_host_t* host, aai_websocket_t* socket, int32_t code,
                             const char* reason) {
  if (socket == nullptr) {
    return AAI_STATUS_ERROR;
  }
  try {
    if (!socket->close_started && socket->last_event.kind != WebSocketEvent::Kind::kClosed) {
      std::string text = reason != nullptr ? reason : "";
      log_close(app_of(host).log(), ">", code, text);
      socket->connection->close(code, text);
    }
    socket->close_started = true;
    return AAI_STATUS_OK;
  } catch (const std::exception& error) {
    app_of(host).http().last_websocket_error() = CliError(1, "internal_error", error.what());
    return AAI_STATUS_ERROR;
  }
}

void websocket_release(const aai_host_t* host, aai_websocket_t* socket) {
  if (socket == nullptr) {
    return;
  }
  try {
    if (!socket->close_started && socket->last_event.kind != WebSocketEvent::Kind::kClosed) {
      log_close(app_of(host).log(), ">", 1001, "");
    }
  } catch (...) {
    // Logging must never keep a connection from being freed.
  }
  delete socket;
}

void websocket_last_error(const aai_host_t* host, int32_t* exit_code, const char** type,
                          const char** message, const char** suggestion) {
  const auto& error = app_of(host).http().last_websocket_error();
  if (exit_code != nullptr) {
    *exit_code = error ? error->exit_code() : 0;
  }
  if (type != nullptr) {
    *type = error ? error->type().c_str() : nullptr;
  }
  if (message != nullptr) {
    *message = error ? error->what() : nullptr;
  }
  if (suggestion != nullptr) {
    *suggestion = error && !error->suggestion().empty() ? error->suggestion().c_str() : nullptr;
  }
}

const aai_websocket_service_t kWebSocketService = {sizeof(aai_websocket_service_t),
                                                   &websocket_connect,
                                                   &websocket_send,
                                                   &websocket_receive,
                                                   &websocket_close,
                                                   &websocket_release,
                                                   &websocket_last_error};

}  // namespace

const aai_websocket_service_t& websocket_service_table() {
  return kWebSocketService;
}

}  // namespace aai::host
