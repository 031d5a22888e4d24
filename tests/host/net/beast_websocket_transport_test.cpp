#include "host/net/beast_websocket_transport.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "loopback_http_server.hpp"
#include "loopback_websocket_server.hpp"

namespace aai::host {
namespace {

using std::chrono::milliseconds;
using testing::LoopbackWebSocketServer;
using Kind = WebSocketEvent::Kind;

constexpr milliseconds kWait{5000};

std::unique_ptr<WebSocketConnection> open(const std::string& url, HeaderList headers = {}) {
  BeastWebSocketTransport transport;
  WebSocketConnectRequest request;
  request.url = url;
  request.headers = std::move(headers);
  WebSocketHandshake handshake = transport.connect(request);
  EXPECT_EQ(handshake.status, 101);
  EXPECT_NE(handshake.connection, nullptr);
  return std::move(handshake.connection);
}

// Returns the next event that is not a timeout, waiting at most kWait.
WebSocketEvent next_event(WebSocketConnection& connection) {
  return connection.receive(kWait);
}

TransportError connect_error(const WebSocketConnectRequest& request) {
  BeastWebSocketTransport transport;
  try {
    transport.connect(request);
  } catch (const TransportError& error) {
    return error;
  }
  ADD_FAILURE() << "connect() returned";
  return TransportError(TransportError::Kind::kOther, "");
}

TEST(BeastWebSocketTransportTest, EchoesTextAndBinary) {
  LoopbackWebSocketServer server;
  auto connection = open(server.url("/v3/ws?sample_rate=16000"), {{"Authorization", "key-1"}});

  connection->send(false, R"({"type":"Hello"})");
  connection->send(true, std::string("\x00\x01\x02", 3));
  WebSocketEvent text = next_event(*connection);
  WebSocketEvent binary = next_event(*connection);

  EXPECT_EQ(text.kind, Kind::kText);
  EXPECT_EQ(text.data, R"({"type":"Hello"})");
  EXPECT_EQ(binary.kind, Kind::kBinary);
  EXPECT_EQ(binary.data, std::string("\x00\x01\x02", 3));
  ASSERT_EQ(server.received().size(), 1u);
  EXPECT_EQ(server.received()[0].target(), "/v3/ws?sample_rate=16000");
  EXPECT_EQ(server.received()[0]["Authorization"], "key-1");
}

TEST(BeastWebSocketTransportTest, ReportsServerCloseWithCode1000) {
  LoopbackWebSocketServer server;
  auto connection = open(server.url("/"));

  connection->send(false, "close 1000 done");
  WebSocketEvent closed = next_event(*connection);
  WebSocketEvent again = connection->receive(milliseconds(0));

  EXPECT_EQ(closed.kind, Kind::kClosed);
  EXPECT_EQ(closed.close_code, 1000);
  EXPECT_EQ(closed.close_reason, "done");
  EXPECT_EQ(again.kind, Kind::kClosed);
  EXPECT_EQ(again.close_code, 1000);
}

TEST(BeastWebSocketTransportTest, ReportsServerCloseWithErrorCodeAndReason) {
  LoopbackWebSocketServer server;
  auto connection = open(server.url("/"));

  connection->send(false, "close 3006 Invalid Message Type: Hello");
  WebSocketEvent closed = next_event(*connection);

  EXPECT_EQ(closed.kind, Kind::kClosed);
  EXPECT_EQ(closed.close_code, 3006);
  EXPECT_EQ(closed.close_reason, "Invalid Message Type: Hello");
}

TEST(BeastWebSocketTransportTest, DeliversMessagesBeforeTheClose) {
  LoopbackWebSocketServer server;
  auto connection = open(server.url("/"));

  connection->send(false, "first");
  connection->send(false, "close 1000");
  WebSocketEvent first = next_event(*connection);
  WebSocketEvent closed = next_event(*connection);

  EXPECT_EQ(first.kind, Kind::kText);
  EXPECT_EQ(first.data, "first");
  EXPECT_EQ(closed.kind, Kind::kClosed);
  EXPECT_EQ(closed.close_code, 1000);
  EXPECT_EQ(closed.close_reason, "");
}

TEST(BeastWebSocketTransportTest, DroppedConnectionBecomes1006) {
  LoopbackWebSocketServer server;
  auto connection = open(server.url("/"));

  connection->send(false, "drop");
  WebSocketEvent closed = next_event(*connection);

  EXPECT_EQ(closed.kind, Kind::kClosed);
  EXPECT_EQ(closed.close_code, 1006);
  EXPECT_EQ(closed.close_reason, "end of stream");
}

TEST(BeastWebSocketTransportTest, ReceiveTimesOutWhenNothingArrives) {
  LoopbackWebSocketServer server;
  auto connection = open(server.url("/"));
  auto started = std::chrono::steady_clock::now();

  WebSocketEvent event = connection->receive(milliseconds(20));

  EXPECT_EQ(event.kind, Kind::kTimeout);
  EXPECT_GE(std::chrono::steady_clock::now() - started, milliseconds(20));
}

TEST(BeastWebSocketTransportTest, ClientCloseCompletesHandshake) {
  LoopbackWebSocketServer server;
  auto connection = open(server.url("/"));

  connection->close(1000, "bye");
  connection->close(1000, "again");
  WebSocketEvent closed = next_event(*connection);

  EXPECT_EQ(closed.kind, Kind::kClosed);
  EXPECT_EQ(closed.close_code, 1000) << closed.close_reason;
}

TEST(BeastWebSocketTransportTest, SendAfterCloseFails) {
  LoopbackWebSocketServer server;
  auto connection = open(server.url("/"));
  connection->send(false, "close 1000");
  ASSERT_EQ(next_event(*connection).kind, Kind::kClosed);

  try {
    connection->send(true, "audio");
    FAIL() << "send() returned";
  } catch (const TransportError& error) {
    EXPECT_EQ(error.kind(), TransportError::Kind::kConnectionFailed);
    EXPECT_STREQ(error.what(), "the connection is closed");
  }
}

TEST(BeastWebSocketTransportTest, HandshakeRefusalKeepsStatusAndBody) {
  LoopbackWebSocketServer server([](const LoopbackWebSocketServer::Request&) {
    LoopbackWebSocketServer::Response refusal(boost::beast::http::status::unauthorized, 11);
    refusal.set(boost::beast::http::field::content_type, "application/json");
    refusal.body() = R"({"error": "Authentication error, API token missing/invalid"})";
    return std::optional(refusal);
  });
  BeastWebSocketTransport transport;
  WebSocketConnectRequest request;
  request.url = server.url("/v3/ws");

  WebSocketHandshake handshake = transport.connect(request);

  EXPECT_EQ(handshake.status, 401);
  EXPECT_EQ(handshake.body, R"({"error": "Authentication error, API token missing/invalid"})");
  EXPECT_EQ(handshake.connection, nullptr);
  bool has_content_type = false;
  for (const auto& [name, value] : handshake.headers) {
    has_content_type |= name == "content-type" && value == "application/json";
  }
  EXPECT_TRUE(has_content_type);
}

TEST(BeastWebSocketTransportTest, RefusedConnectionSaysSo) {
  WebSocketConnectRequest request;
  request.url = "ws://127.0.0.1:" + std::to_string(testing::find_unused_port()) + "/v3/ws";

  TransportError error = connect_error(request);

  EXPECT_EQ(error.kind(), TransportError::Kind::kConnectionFailed);
  EXPECT_STREQ(error.what(), "the connection was refused");
}

TEST(BeastWebSocketTransportTest, SilentServerTimesOutTheHandshake) {
  testing::LoopbackHttpServer server(
      [](const testing::LoopbackHttpServer::Request&) { return std::nullopt; });
  WebSocketConnectRequest request;
  request.url = "ws://127.0.0.1:" + std::to_string(server.port()) + "/v3/ws";
  request.connect_timeout = milliseconds(300);

  TransportError error = connect_error(request);

  EXPECT_EQ(error.kind(), TransportError::Kind::kConnectTimedOut);
  EXPECT_STREQ(error.what(), "timed out after 300 ms");
}

TEST(BeastWebSocketTransportTest, CancelledHandshakeStops) {
  testing::LoopbackHttpServer server(
      [](const testing::LoopbackHttpServer::Request&) { return std::nullopt; });
  WebSocketConnectRequest request;
  request.url = "ws://127.0.0.1:" + std::to_string(server.port()) + "/v3/ws";
  int polls = 0;
  request.is_cancelled = [&polls] { return ++polls > 3; };

  TransportError error = connect_error(request);

  EXPECT_EQ(error.kind(), TransportError::Kind::kCancelled);
  EXPECT_STREQ(error.what(), "the connection attempt was cancelled");
}

TEST(BeastWebSocketTransportTest, RejectsHttpUrl) {
  WebSocketConnectRequest request;
  request.url = "http://127.0.0.1:1/v3/ws";

  TransportError error = connect_error(request);

  EXPECT_EQ(error.kind(), TransportError::Kind::kInvalidUrl);
  EXPECT_STREQ(error.what(), "expected an absolute ws or wss URL");
}

TEST(BeastWebSocketTransportTest, DestroyingWhileServerIsSilentReturnsPromptly) {
  LoopbackWebSocketServer server;
  auto connection = open(server.url("/"));
  connection->send(false, "silent");
  auto started = std::chrono::steady_clock::now();

  connection.reset();

  EXPECT_LT(std::chrono::steady_clock::now() - started, milliseconds(2000));
}

TEST(BeastWebSocketTransportTest, DestroyingOpenConnectionSendsGoingAway) {
  LoopbackWebSocketServer server;
  auto connection = open(server.url("/"));

  connection.reset();

  // The server records the code after it has replied to the close frame, so it may lag a moment.
  auto deadline = std::chrono::steady_clock::now() + kWait;
  while (server.last_client_close_code() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_EQ(server.last_client_close_code(), 1001);
}

}  // namespace
}  // namespace aai::host
