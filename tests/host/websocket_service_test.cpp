#include "websocket_service.hpp"

#include "service_tables.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <memory>

namespace aai::host {
namespace {

using testing::TestApplication;
using Kind = WebSocketEvent::Kind;

constexpr const char* kStreamingUrl = "ws://127.0.0.1:8765/v3/ws?sample_rate=16000";
constexpr const char* kKey = "secret-key-1234";

// What the fake transport and its connections saw, shared with the test.
struct FakeNetwork {
  std::vector<WebSocketConnectRequest> requests;
  int status = 101;
  std::string body;
  std::optional<TransportError> error;

  std::vector<std::pair<bool, std::string>> sent;
  std::deque<WebSocketEvent> events;
  std::vector<std::pair<int, std::string>> closes;
  int open_connections = 0;
  bool is_closed = false;
};

class FakeConnection : public WebSocketConnection {
 public:
  explicit FakeConnection(std::shared_ptr<FakeNetwork> network) : network_(std::move(network)) {
    ++network_->open_connections;
  }
  ~FakeConnection() override { --network_->open_connections; }

  void send(bool binary, std::string_view data) override {
    if (network_->is_closed) {
      throw TransportError(TransportError::Kind::kConnectionFailed, "the connection is closed");
    }
    network_->sent.emplace_back(binary, std::string(data));
  }

  WebSocketEvent receive(std::chrono::milliseconds) override {
    if (network_->events.empty()) {
      return {};
    }
    WebSocketEvent event = network_->events.front();
    if (event.kind == Kind::kClosed) {
      network_->is_closed = true;
    } else {
      network_->events.pop_front();
    }
    return event;
  }

  void close(int code, const std::string& reason) override {
    network_->closes.emplace_back(code, reason);
  }

 private:
  std::shared_ptr<FakeNetwork> network_;
};

class FakeWebSocketTransport : public WebSocketTransport {
 public:
  explicit FakeWebSocketTransport(std::shared_ptr<FakeNetwork> network)
      : network_(std::move(network)) {}

  WebSocketHandshake connect(const WebSocketConnectRequest& request) override {
    network_->requests.push_back(request);
    if (network_->error) {
      throw *network_->error;
    }
    WebSocketHandshake handshake;
    handshake.status = network_->status;
    handshake.body = network_->body;
    if (network_->status == 101) {
      handshake.connection = std::make_unique<FakeConnection>(network_);
    }
    return handshake;
  }

 private:
  std::shared_ptr<FakeNetwork> network_;
};

// What the hook and the provider observed, one entry per call.
struct HookRecord {
  std::vector<std::string> calls;
  std::vector<std::string> methods;
  std::vector<std::string> fields;
  std::vector<bool> environment_hosts;
};

aai_status_t recording_hook(void* context, const aai_host_t*, const aai_request_editor_t* editor) {
  auto* record = static_cast<HookRecord*>(context);
  record->calls.push_back("hook");
  record->methods.push_back(editor->method);
  record->fields.push_back(editor->environment_field != nullptr ? editor->environment_field
                                                                : "(none)");
  record->environment_hosts.push_back(editor->is_environment_host);
  return AAI_STATUS_OK;
}

aai_status_t key_provider(void* context, const aai_host_t*, const aai_request_editor_t* editor) {
  auto* record = static_cast<HookRecord*>(context);
  record->calls.push_back("provider");
  record->methods.push_back(editor->method);
  record->fields.push_back(editor->environment_field != nullptr ? editor->environment_field
                                                                : "(none)");
  record->environment_hosts.push_back(editor->is_environment_host);
  editor->set_credential_header(editor, "Authorization", kKey);
  return AAI_STATUS_OK;
}

struct Failure {
  int exit_code = 0;
  std::string type;
  std::string message;
  std::string suggestion;
};

class WebSocketServiceTest : public ::testing::Test {
 protected:
  explicit WebSocketServiceTest(const std::vector<std::string>& args = {}) : test(args) {
    PluginHost& plugin = test.app().create_plugin_host("streaming");
    host = &plugin.raw;
    Environment environment;
    environment.name = "production";
    environment.fields = {{"api_base", "http://127.0.0.1:8765"},
                          {"streaming_base", "ws://127.0.0.1:8765"}};
    test.app().environments().add(environment);
    test.app().hooks().push_back(RequestHook{host, "tracer", &record, &recording_hook});
    Provider provider;
    provider.role = AAI_PROVIDER_CREDENTIALS;
    provider.name = "stytch";
    provider.plugin_name = "auth-stytch";
    provider.host = host;
    provider.context = &record;
    provider.pre_request = &key_provider;
    test.app().providers().add(provider);
    test.app().http().set_websocket_transport_factory(
        [network = network] { return std::make_unique<FakeWebSocketTransport>(network); });
    service = static_cast<const aai_websocket_service_t*>(get_service(host, AAI_SERVICE_WEBSOCKET));
  }

  aai_websocket_t* connect(const char* url, bool anonymous = false, uint32_t timeout_ms = 0) {
    aai_field_t headers[] = {{"X-Client", "test"}};
    aai_websocket_request_t request{};
    request.struct_size = sizeof request;
    request.url = url;
    request.headers = headers;
    request.header_count = 1;
    request.connect_timeout_ms = timeout_ms;
    request.anonymous = anonymous;
    aai_websocket_t* socket = nullptr;
    status = service->connect(host, &request, &socket);
    return socket;
  }

  Failure last_error() {
    Failure failure;
    const char* type = nullptr;
    const char* message = nullptr;
    const char* suggestion = nullptr;
    service->last_error(host, &failure.exit_code, &type, &message, &suggestion);
    failure.type = type != nullptr ? type : "";
    failure.message = message != nullptr ? message : "";
    failure.suggestion = suggestion != nullptr ? suggestion : "";
    return failure;
  }

  Failure connect_failure(const char* url, bool anonymous = false) {
    aai_websocket_t* socket = connect(url, anonymous);
    EXPECT_EQ(status, AAI_STATUS_ERROR);
    EXPECT_EQ(socket, nullptr);
    return last_error();
  }

  std::string header(const std::string& name) const {
    for (const auto& [header_name, value] : network->requests.back().headers) {
      if (header_name == name) {
        return value;
      }
    }
    return "(none)";
  }

  std::shared_ptr<FakeNetwork> network = std::make_shared<FakeNetwork>();
  HookRecord record;
  TestApplication test;
  const aai_host_t* host = nullptr;
  const aai_websocket_service_t* service = nullptr;
  aai_status_t status = AAI_STATUS_OK;
};

class VerboseWebSocketServiceTest : public WebSocketServiceTest {
 protected:
  VerboseWebSocketServiceTest() : WebSocketServiceTest({"-vv"}) {}
};

TEST_F(WebSocketServiceTest, HooksSeeMethodAndStreamingField) {
  aai_websocket_t* socket = connect(kStreamingUrl);

  ASSERT_EQ(status, AAI_STATUS_OK);
  ASSERT_NE(socket, nullptr);
  EXPECT_EQ(record.calls, (std::vector<std::string>{"hook", "provider"}));
  EXPECT_EQ(record.methods, (std::vector<std::string>{"WEBSOCKET", "WEBSOCKET"}));
  EXPECT_EQ(record.fields, (std::vector<std::string>{"streaming_base", "streaming_base"}));
  EXPECT_EQ(record.environment_hosts, (std::vector<bool>{true, true}));
  EXPECT_EQ(network->requests.back().url, kStreamingUrl);
  EXPECT_EQ(header("X-Client"), "test");
  service->release(host, socket);
}

TEST_F(WebSocketServiceTest, CredentialGoesToEnvironmentHostOnly) {
  aai_websocket_t* own = connect(kStreamingUrl);
  std::string own_key = header("Authorization");
  aai_websocket_t* foreign = connect("ws://127.0.0.1:9999/v3/ws");
  std::string foreign_key = header("Authorization");

  EXPECT_EQ(own_key, kKey);
  EXPECT_EQ(foreign_key, "(none)");
  EXPECT_EQ(record.fields.back(), "(none)");
  service->release(host, own);
  service->release(host, foreign);
}

TEST_F(WebSocketServiceTest, AnonymousSkipsProviderButRunsHooks) {
  aai_websocket_t* socket = connect("ws://127.0.0.1:8765/v3/ws?token=temporary-token", true);

  ASSERT_EQ(status, AAI_STATUS_OK);
  EXPECT_EQ(record.calls, (std::vector<std::string>{"hook"}));
  EXPECT_EQ(header("Authorization"), "(none)");
  service->release(host, socket);
}

TEST_F(WebSocketServiceTest, RejectedKeyExitsWithNotAuthenticated) {
  network->status = 401;
  network->body = R"({"error": "Authentication error, API token missing/invalid"})";

  Failure failure = connect_failure(kStreamingUrl);

  EXPECT_EQ(failure.exit_code, 4);
  EXPECT_EQ(failure.type, "not_authenticated");
  EXPECT_EQ(failure.message, "Your API key was rejected.");
  EXPECT_EQ(failure.suggestion, "Check the key, or run `aai login` to get a new one.");
  EXPECT_EQ(network->open_connections, 0);
}

TEST_F(WebSocketServiceTest, RejectedTokenIsApiError) {
  network->status = 401;
  network->body = R"({"error": "Authentication error, API token missing/invalid"})";

  Failure failure = connect_failure("ws://127.0.0.1:8765/v3/ws?token=expired-token", true);

  EXPECT_EQ(failure.exit_code, 1);
  EXPECT_EQ(failure.type, "api_error");
  EXPECT_EQ(failure.message,
            "The server at 127.0.0.1:8765 rejected the WebSocket handshake (HTTP 401): "
            "Authentication error, API token missing/invalid.");
  EXPECT_EQ(failure.suggestion, "Run with -vv to see the handshake request and response.");
}

TEST_F(WebSocketServiceTest, RejectionQuotesJsonErrorField) {
  network->status = 403;
  network->body = R"({"error": "Streaming is not enabled for this account."})";

  Failure failure = connect_failure(kStreamingUrl);

  EXPECT_EQ(failure.exit_code, 1);
  EXPECT_EQ(failure.type, "api_error");
  EXPECT_EQ(failure.message,
            "The server at 127.0.0.1:8765 rejected the WebSocket handshake (HTTP 403): "
            "Streaming is not enabled for this account.");
}

TEST_F(WebSocketServiceTest, RejectionQuotesPlainBody) {
  network->status = 502;
  network->body = "<html>\n  Bad   gateway\n</html>\n";

  Failure failure = connect_failure(kStreamingUrl);

  EXPECT_EQ(failure.message,
            "The server at 127.0.0.1:8765 rejected the WebSocket handshake (HTTP 502): "
            "<html> Bad gateway </html>.");
}

TEST_F(WebSocketServiceTest, RejectionShortensLongBody) {
  network->status = 500;
  network->body = std::string(300, 'x');

  Failure failure = connect_failure(kStreamingUrl);

  EXPECT_EQ(failure.message,
            "The server at 127.0.0.1:8765 rejected the WebSocket handshake (HTTP 500): " +
                std::string(200, 'x') + "...");
}

TEST_F(WebSocketServiceTest, RejectionWithEmptyBodyGivesStatus) {
  network->status = 404;

  Failure failure = connect_failure(kStreamingUrl);

  EXPECT_EQ(failure.message,
            "The server at 127.0.0.1:8765 rejected the WebSocket handshake (HTTP 404).");
}

TEST_F(WebSocketServiceTest, RefusedConnectionNamesHostAndEmulator) {
  network->error =
      TransportError(TransportError::Kind::kConnectionFailed, "the connection was refused");

  Failure failure = connect_failure(kStreamingUrl);

  EXPECT_EQ(failure.exit_code, 1);
  EXPECT_EQ(failure.type, "connection_error");
  EXPECT_EQ(failure.message,
            "Could not connect to 127.0.0.1:8765 (ws://127.0.0.1:8765/v3/ws): the connection "
            "was refused.");
  EXPECT_EQ(failure.suggestion, "Check that the local emulator is running on 127.0.0.1:8765.");
}

TEST_F(WebSocketServiceTest, RemoteFailureSuggestsNetworkCheck) {
  network->error = TransportError(TransportError::Kind::kConnectionFailed,
                                  "the host name could not be resolved (Host not found)");

  Failure failure = connect_failure("wss://streaming.example:443/v3/ws?token=abc");

  EXPECT_EQ(failure.type, "connection_error");
  EXPECT_EQ(failure.message,
            "Could not connect to streaming.example:443 (wss://streaming.example:443/v3/ws): the "
            "host name could not be resolved (Host not found).");
  EXPECT_EQ(failure.suggestion, "Check your network connection and try again.");
}

TEST_F(WebSocketServiceTest, TimeoutIsConnectionError) {
  network->error =
      TransportError(TransportError::Kind::kConnectTimedOut, "timed out after 10 seconds");

  Failure failure = connect_failure(kStreamingUrl);

  EXPECT_EQ(failure.type, "connection_error");
  EXPECT_EQ(failure.message,
            "Could not connect to 127.0.0.1:8765 (ws://127.0.0.1:8765/v3/ws): timed out after "
            "10 seconds.");
  EXPECT_EQ(failure.suggestion,
            "Raise the connect timeout with AAI_CONNECT_TIMEOUT=SECONDS or `aai config set "
            "network.connect_timeout SECONDS`, or check your network connection.");
}

TEST_F(WebSocketServiceTest, CancelledConnectExitsWith130) {
  network->error =
      TransportError(TransportError::Kind::kCancelled, "the connection attempt was cancelled");

  Failure failure = connect_failure(kStreamingUrl);

  EXPECT_EQ(failure.exit_code, 130);
  EXPECT_EQ(failure.type, "interrupted");
  EXPECT_EQ(failure.message, "Interrupted.");
}

TEST_F(WebSocketServiceTest, HttpUrlIsInvalid) {
  Failure failure = connect_failure("http://127.0.0.1:8765/v3/ws?token=abc");

  EXPECT_EQ(failure.exit_code, 1);
  EXPECT_EQ(failure.type, "invalid_url");
  EXPECT_EQ(failure.message,
            "Invalid WebSocket URL 'http://127.0.0.1:8765/v3/ws': expected an absolute ws or wss "
            "URL.");
  EXPECT_EQ(failure.suggestion, "Check the environment's endpoints with `aai env list`.");
  EXPECT_TRUE(network->requests.empty());
  EXPECT_TRUE(record.calls.empty());
}

TEST_F(WebSocketServiceTest, MissingNetworkLibraryIsInternalError) {
  test.app().http().set_websocket_transport_factory(
      []() -> std::unique_ptr<WebSocketTransport> { throw std::runtime_error("no such file"); });

  Failure failure = connect_failure(kStreamingUrl);

  EXPECT_EQ(failure.type, "internal_error");
  EXPECT_EQ(failure.message, "Could not load the network library: no such file");
}

TEST_F(WebSocketServiceTest, ConnectTimeoutDefaultsToSetting) {
  service->release(host, connect(kStreamingUrl));
  service->release(host, connect(kStreamingUrl, false, 1500));

  ASSERT_EQ(network->requests.size(), 2u);
  EXPECT_EQ(network->requests[0].connect_timeout, test.app().network_settings().connect_timeout);
  EXPECT_EQ(network->requests[1].connect_timeout, std::chrono::milliseconds(1500));
}

TEST_F(WebSocketServiceTest, ReceiveDeliversMessagesThenRepeatsClose) {
  network->events.push_back({Kind::kText, R"({"type":"Begin"})", 0, ""});
  network->events.push_back({Kind::kClosed, "", 3006, "Invalid Message Type: Hello"});
  aai_websocket_t* socket = connect(kStreamingUrl);
  aai_websocket_event_t event{};
  event.struct_size = sizeof event;

  ASSERT_EQ(service->receive(host, socket, 10, &event), AAI_STATUS_OK);
  EXPECT_EQ(event.kind, AAI_WEBSOCKET_TEXT);
  EXPECT_EQ(std::string(event.data, event.size), R"({"type":"Begin"})");
  ASSERT_EQ(service->receive(host, socket, 10, &event), AAI_STATUS_OK);
  EXPECT_EQ(event.kind, AAI_WEBSOCKET_CLOSED);
  EXPECT_EQ(event.close_code, 3006);
  EXPECT_STREQ(event.close_reason, "Invalid Message Type: Hello");
  ASSERT_EQ(service->receive(host, socket, 10, &event), AAI_STATUS_OK);
  EXPECT_EQ(event.kind, AAI_WEBSOCKET_CLOSED);
  service->release(host, socket);
}

TEST_F(WebSocketServiceTest, ReceiveTimesOut) {
  aai_websocket_t* socket = connect(kStreamingUrl);
  aai_websocket_event_t event{};
  event.struct_size = sizeof event;

  ASSERT_EQ(service->receive(host, socket, 0, &event), AAI_STATUS_OK);

  EXPECT_EQ(event.kind, AAI_WEBSOCKET_TIMEOUT);
  EXPECT_EQ(event.size, 0u);
  service->release(host, socket);
}

TEST_F(WebSocketServiceTest, SendAfterPeerCloseFails) {
  network->events.push_back({Kind::kClosed, "", 1000, ""});
  aai_websocket_t* socket = connect(kStreamingUrl);
  aai_websocket_event_t event{};
  event.struct_size = sizeof event;
  service->receive(host, socket, 10, &event);

  aai_status_t sent = service->send(host, socket, true, "abc", 3);

  EXPECT_EQ(sent, AAI_STATUS_ERROR);
  Failure failure = last_error();
  EXPECT_EQ(failure.exit_code, 1);
  EXPECT_EQ(failure.type, "connection_error");
  EXPECT_EQ(failure.message,
            "Could not send a message to ws://127.0.0.1:8765/v3/ws: the connection is closed.");
  service->release(host, socket);
}

TEST_F(WebSocketServiceTest, CloseIsSentOnce) {
  aai_websocket_t* socket = connect(kStreamingUrl);

  service->close(host, socket, 1000, "done");
  service->close(host, socket, 1000, nullptr);

  ASSERT_EQ(network->closes.size(), 1u);
  EXPECT_EQ(network->closes[0], std::make_pair(1000, std::string("done")));
  service->release(host, socket);
}

TEST_F(WebSocketServiceTest, ReleaseFreesConnectionOnEveryPath) {
  aai_websocket_t* never_closed = connect(kStreamingUrl);
  aai_websocket_t* closed_by_client = connect(kStreamingUrl);
  service->close(host, closed_by_client, 1000, nullptr);
  ASSERT_EQ(network->open_connections, 2);

  service->release(host, never_closed);
  service->release(host, closed_by_client);
  service->release(host, nullptr);

  EXPECT_EQ(network->open_connections, 0);
}

TEST_F(VerboseWebSocketServiceTest, LogsHandshakeAndFramesWithSecretsMasked) {
  network->events.push_back({Kind::kText, std::string(R"({"echo":")") + kKey + "\"}", 0, ""});
  network->events.push_back({Kind::kClosed, "", 1000, "done"});
  aai_websocket_t* socket = connect("ws://127.0.0.1:8765/v3/ws?sample_rate=16000&token=tmp-123");
  std::string audio(3200, '\0');
  service->send(host, socket, true, audio.data(), audio.size());
  service->send(host, socket, false, R"({"type":"Terminate"})", 20);
  aai_websocket_event_t event{};
  event.struct_size = sizeof event;
  service->receive(host, socket, 10, &event);
  service->receive(host, socket, 10, &event);
  service->receive(host, socket, 10, &event);
  service->release(host, socket);

  std::string log = test.err();
  EXPECT_NE(log.find("[aai] > WEBSOCKET "
                     "ws://127.0.0.1:8765/v3/ws?sample_rate=16000&token=[redacted]\n"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("[aai] > Authorization: [redacted]\n"), std::string::npos) << log;
  EXPECT_NE(log.find("[aai] < 101 WEBSOCKET "
                     "ws://127.0.0.1:8765/v3/ws?sample_rate=16000&token=[redacted] ("),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("[aai] ws > binary 3200 bytes\n"), std::string::npos) << log;
  EXPECT_NE(log.find("[aai] ws > text {\"type\":\"Terminate\"}\n"), std::string::npos) << log;
  EXPECT_NE(log.find("[aai] ws < text {\"echo\":\"[redacted]\"}\n"), std::string::npos) << log;
  EXPECT_NE(log.find("[aai] ws < close 1000 done\n"), std::string::npos) << log;
  EXPECT_EQ(log.find("ws < close 1000 done\n", log.find("ws < close 1000 done\n") + 1),
            std::string::npos)
      << log;
  EXPECT_EQ(log.find(kKey), std::string::npos) << log;
  EXPECT_EQ(log.find("ws > close 1001"), std::string::npos) << log;
}

TEST_F(VerboseWebSocketServiceTest, LogsGoingAwayWhenReleasedOpen) {
  aai_websocket_t* socket = connect(kStreamingUrl);

  service->release(host, socket);

  EXPECT_NE(test.err().find("[aai] ws > close 1001\n"), std::string::npos) << test.err();
}

TEST_F(VerboseWebSocketServiceTest, ShortensLongTextFrames) {
  aai_websocket_t* socket = connect(kStreamingUrl);
  std::string text(1500, 'a');

  service->send(host, socket, false, text.data(), text.size());

  EXPECT_NE(test.err().find("[aai] ws > text " + std::string(1000, 'a') + "... (1500 bytes)\n"),
            std::string::npos);
  service->release(host, socket);
}

}  // namespace
}  // namespace aai::host
