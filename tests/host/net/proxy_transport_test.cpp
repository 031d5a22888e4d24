// The transports with TransportRequest::proxy and the failure classes, against servers and a
// forward proxy on 127.0.0.1.
#include "host/net/beast_websocket_transport.hpp"
#include "host/net/cpprest_http_transport.hpp"

#include <gtest/gtest.h>

#include <sys/socket.h>

#include <thread>

#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>

#include "loopback_forward_proxy.hpp"
#include "loopback_http_server.hpp"
#include "loopback_websocket_server.hpp"

namespace aai::host {
namespace {

using testing::LoopbackForwardProxy;
using testing::LoopbackHttpServer;
using testing::LoopbackWebSocketServer;

ProxyServer loopback_proxy(const LoopbackForwardProxy& proxy) {
  ProxyServer server;
  server.host = "127.0.0.1";
  server.port = proxy.port();
  return server;
}

LoopbackHttpServer::Handler respond_ok() {
  return [](const LoopbackHttpServer::Request&) {
    return LoopbackHttpServer::make_response(200, "through");
  };
}

TEST(ProxyTransportTest, HttpGoesThroughProxyWithCredentials) {
  LoopbackHttpServer origin(respond_ok());
  LoopbackForwardProxy proxy;
  CpprestHttpTransport transport;
  TransportRequest request;
  request.url = origin.url("/v2/transcript?x=1");
  request.proxy = loopback_proxy(proxy);
  request.proxy->username = "user";
  request.proxy->password = "p@ss";

  TransportResponse response = transport.send(request);

  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "through");
  ASSERT_EQ(proxy.seen().size(), 1u);
  EXPECT_EQ(proxy.seen()[0].method, "GET");
  EXPECT_EQ(proxy.seen()[0].target, origin.url("/v2/transcript?x=1"));
  EXPECT_EQ(proxy.seen()[0].proxy_authorization, "Basic dXNlcjpwQHNz");
  ASSERT_EQ(origin.received().size(), 1u);
  EXPECT_EQ(origin.received()[0].target(), "/v2/transcript?x=1");
}

TEST(ProxyTransportTest, HttpWithoutProxyGoesDirect) {
  LoopbackHttpServer origin(respond_ok());
  LoopbackForwardProxy proxy;
  CpprestHttpTransport transport;
  TransportRequest request;
  request.url = origin.url("/v2/transcript");

  TransportResponse response = transport.send(request);

  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(proxy.seen().empty());
}

// Accepts one connection, reads the request head and closes without a response.
class ClosingServer {
 public:
  ClosingServer()
      : acceptor_(io_context_, {boost::asio::ip::address_v4::loopback(), 0}), thread_([this] {
          boost::asio::ip::tcp::socket socket(io_context_);
          acceptor_.accept(socket);
          boost::asio::streambuf buffer;
          boost::system::error_code ignored;
          boost::asio::read_until(socket, buffer, "\r\n\r\n", ignored);
          socket.close();
        }) {}
  ~ClosingServer() {
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    thread_.join();
  }

  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + "/v2/a";
  }

 private:
  boost::asio::io_context io_context_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::thread thread_;
};

TEST(ProxyTransportTest, ClosedConnectionCountsAsDropped) {
  ClosingServer server;
  CpprestHttpTransport transport;
  TransportRequest request;
  request.url = server.url();

  try {
    transport.send(request);
    ADD_FAILURE() << "expected a TransportError";
  } catch (const TransportError& error) {
    EXPECT_EQ(error.kind(), TransportError::Kind::kConnectionDropped) << error.what();
    EXPECT_EQ(
        std::string(error.what())
            .rfind("The connection to " + server.url() + " dropped after the request was sent: ",
                   0),
        0u)
        << error.what();
  }
}

TEST(ProxyTransportTest, WebSocketTunnelsThroughConnect) {
  LoopbackWebSocketServer server;
  LoopbackForwardProxy proxy;
  BeastWebSocketTransport transport;
  WebSocketConnectRequest request;
  request.url = server.url("/v3/ws?sample_rate=16000");
  request.proxy = loopback_proxy(proxy);
  request.proxy->username = "user";
  request.proxy->password = "secret";

  WebSocketHandshake handshake = transport.connect(request);

  EXPECT_EQ(handshake.status, 101);
  ASSERT_TRUE(handshake.connection);
  handshake.connection->send(false, "hello");
  WebSocketEvent event = handshake.connection->receive(std::chrono::seconds(5));
  EXPECT_EQ(event.kind, WebSocketEvent::Kind::kText);
  ASSERT_EQ(proxy.connect_count(), 1u);
  const std::string authority = server.url("").substr(5);
  EXPECT_EQ(proxy.seen()[0].target, authority);
  EXPECT_EQ(proxy.seen()[0].proxy_authorization, "Basic dXNlcjpzZWNyZXQ=");
}

TEST(ProxyTransportTest, WebSocketReportsRejectedTunnel) {
  LoopbackForwardProxy proxy;
  BeastWebSocketTransport transport;
  WebSocketConnectRequest request;
  // The proxy responds 502 to any host but 127.0.0.1 without resolving it.
  request.url = "ws://streaming.example.invalid/v3/ws";
  request.proxy = loopback_proxy(proxy);

  try {
    transport.connect(request);
    ADD_FAILURE() << "expected a TransportError";
  } catch (const TransportError& error) {
    EXPECT_EQ(error.kind(), TransportError::Kind::kConnectionFailed);
    EXPECT_STREQ(error.what(),
                 ("the proxy " + proxy.url() + " rejected the tunnel (HTTP 502)").c_str());
  }
}

TEST(ProxyTransportTest, RefusedProxyIsNamed) {
  BeastWebSocketTransport transport;
  WebSocketConnectRequest request;
  request.url = "ws://127.0.0.1:9/v3/ws";
  request.proxy = ProxyServer{"127.0.0.1", testing::find_unused_port(), "", ""};

  try {
    transport.connect(request);
    ADD_FAILURE() << "expected a TransportError";
  } catch (const TransportError& error) {
    EXPECT_EQ(error.kind(), TransportError::Kind::kConnectionFailed);
    EXPECT_STREQ(
        error.what(),
        ("the connection was refused (through the proxy " + request.proxy->url() + ")").c_str());
  }
}

}  // namespace
}  // namespace aai::host
