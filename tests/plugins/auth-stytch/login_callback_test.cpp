#include "login_callback.hpp"

#include <chrono>
#include <future>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include <aai/plugin.hpp>

namespace auth_stytch {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using Reply = http::response<http::string_body>;
using namespace std::chrono_literals;

const char kToken[] = "one-time-token-123";
const char kValidQuery[] = "stytch_token_type=discovery_oauth&token=one-time-token-123";

std::string get_request(const std::string& target) {
  return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
}

// Sends one raw request on a new connection and reads the response.
Reply exchange(uint16_t port, const std::string& request) {
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(asio::ip::address_v4::loopback(), port));
  asio::write(socket, asio::buffer(request));
  boost::beast::flat_buffer buffer;
  Reply reply;
  http::read(socket, buffer, reply);
  return reply;
}

// Sends the requests one after another from another thread, because the server only runs
// inside wait() on this one.
std::future<std::vector<Reply>> send_in_order(uint16_t port, std::vector<std::string> requests) {
  return std::async(std::launch::async, [port, requests = std::move(requests)] {
    std::vector<Reply> replies;
    for (const std::string& request : requests) {
      replies.push_back(exchange(port, request));
    }
    return replies;
  });
}

std::optional<CallbackResult> wait_briefly(LoginCallbackServer& server) {
  return server.wait(Clock::now() + 20s, [] { return false; });
}

std::string header(const Reply& reply, http::field field) {
  return std::string(reply[field]);
}

// Returns the response to `request`, which the server must reject, after a valid callback has
// shown that the server kept waiting.
Reply reply_to_rejected(const std::string& request,
                        const std::optional<std::string>& expected_state = std::nullopt) {
  LoginCallbackServer server(0, expected_state);
  std::string valid_target = "/callback?" + std::string(kValidQuery);
  if (expected_state) {
    valid_target += "&state=" + *expected_state;
  }
  auto replies = send_in_order(server.port(), {request, get_request(valid_target)});

  const auto result = wait_briefly(server);

  EXPECT_TRUE(result.has_value());
  std::vector<Reply> received = replies.get();
  EXPECT_EQ(received.at(1).result(), http::status::ok);
  return received.at(0);
}

TEST(LoginCallbackServerTest, ReturnsTokenOfValidCallback) {
  LoginCallbackServer server(0, std::nullopt);
  auto replies =
      send_in_order(server.port(), {get_request("/callback?" + std::string(kValidQuery))});

  const auto result = wait_briefly(server);

  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->token, kToken);
  EXPECT_EQ(result->token_type, "discovery_oauth");
  const Reply reply = replies.get().at(0);
  EXPECT_EQ(reply.result(), http::status::ok);
  EXPECT_EQ(header(reply, http::field::content_type), "text/html; charset=utf-8");
  EXPECT_EQ(header(reply, http::field::cache_control), "no-store");
  EXPECT_EQ(std::string(reply["Referrer-Policy"]), "no-referrer");
  EXPECT_EQ(header(reply, http::field::connection), "close");
  EXPECT_NE(reply.body().find("<title>Signed in to aai</title>"), std::string::npos);
  EXPECT_NE(reply.body().find("You can close this tab"), std::string::npos);
  EXPECT_NE(reply.body().find("history.replaceState(null, \"\", location.pathname)"),
            std::string::npos);
}

TEST(LoginCallbackServerTest, DecodesPercentEscapesInValues) {
  LoginCallbackServer server(0, std::nullopt);
  auto replies = send_in_order(
      server.port(),
      {get_request("/callback?stytch_%74oken_type=discovery%5Foauth&token=a%2Fb+c%3d%3D%zz%4")});

  const auto result = wait_briefly(server);

  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->token, "a/b c==%zz%4");
  EXPECT_EQ(replies.get().at(0).result(), http::status::ok);
}

TEST(LoginCallbackServerTest, AcceptsCallbackWithExpectedState) {
  const std::string state(64, 'a');
  LoginCallbackServer server(0, state);
  auto replies = send_in_order(
      server.port(), {get_request("/callback?state=" + state + "&" + std::string(kValidQuery))});

  const auto result = wait_briefly(server);

  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->token, kToken);
  EXPECT_EQ(replies.get().at(0).result(), http::status::ok);
}

TEST(LoginCallbackServerTest, BuildsRedirectUrl) {
  LoginCallbackServer without_state(0, std::nullopt);
  LoginCallbackServer with_state(0, std::string("abc123"));
  LoginCallbackServer with_unsafe_state(0, std::string("a b&c"));

  const std::string port = std::to_string(with_state.port());

  EXPECT_EQ(without_state.redirect_url(),
            "http://127.0.0.1:" + std::to_string(without_state.port()) + "/callback");
  EXPECT_EQ(with_state.redirect_url(), "http://127.0.0.1:" + port + "/callback?state=abc123");
  EXPECT_EQ(
      with_unsafe_state.redirect_url(),
      "http://127.0.0.1:" + std::to_string(with_unsafe_state.port()) + "/callback?state=a%20b%26c");
  EXPECT_NE(without_state.port(), 0);
}

TEST(LoginCallbackServerTest, Returns404ForOtherPath) {
  const Reply reply = reply_to_rejected(get_request("/favicon.ico"));

  EXPECT_EQ(reply.result(), http::status::not_found);
  EXPECT_EQ(header(reply, http::field::content_type), "text/plain; charset=utf-8");
  EXPECT_EQ(reply.body(),
            "Not found. This server only serves the sign-in callback at /callback.\n");
}

TEST(LoginCallbackServerTest, Returns404ForPathBelowCallback) {
  const Reply reply = reply_to_rejected(get_request("/callback/x?" + std::string(kValidQuery)));

  EXPECT_EQ(reply.result(), http::status::not_found);
}

TEST(LoginCallbackServerTest, Returns405ForPost) {
  const Reply reply =
      reply_to_rejected("POST /callback?" + std::string(kValidQuery) +
                        " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n");

  EXPECT_EQ(reply.result(), http::status::method_not_allowed);
  EXPECT_EQ(header(reply, http::field::allow), "GET");
  EXPECT_EQ(reply.body(), "Method not allowed. The sign-in callback accepts GET only.\n");
}

TEST(LoginCallbackServerTest, Returns400ForMissingToken) {
  const Reply reply = reply_to_rejected(get_request("/callback?stytch_token_type=discovery_oauth"));

  EXPECT_EQ(reply.result(), http::status::bad_request);
  EXPECT_EQ(header(reply, http::field::content_type), "text/html; charset=utf-8");
  EXPECT_EQ(header(reply, http::field::cache_control), "no-store");
  EXPECT_NE(reply.body().find("<p>The sign-in callback has no token.</p>"), std::string::npos)
      << reply.body();
  EXPECT_NE(reply.body().find("Start <code>aai login</code> again"), std::string::npos);
  EXPECT_NE(reply.body().find("history.replaceState"), std::string::npos);
}

TEST(LoginCallbackServerTest, Returns400ForEmptyToken) {
  const Reply reply =
      reply_to_rejected(get_request("/callback?stytch_token_type=discovery_oauth&token="));

  EXPECT_EQ(reply.result(), http::status::bad_request);
  EXPECT_NE(reply.body().find("<p>The sign-in callback has no token.</p>"), std::string::npos);
}

TEST(LoginCallbackServerTest, Returns400ForWrongTokenType) {
  const Reply reply =
      reply_to_rejected(get_request("/callback?stytch_token_type=%3Cb%3Emagic&token=t"));

  EXPECT_EQ(reply.result(), http::status::bad_request);
  EXPECT_NE(reply.body().find("<p>The sign-in callback has token type '&lt;b&gt;magic', but aai "
                              "expects 'discovery_oauth'.</p>"),
            std::string::npos)
      << reply.body();
}

TEST(LoginCallbackServerTest, Returns400ForMissingTokenType) {
  const Reply reply = reply_to_rejected(get_request("/callback?token=t"));

  EXPECT_EQ(reply.result(), http::status::bad_request);
  EXPECT_NE(
      reply.body().find(
          "<p>The sign-in callback has no token type, but aai expects 'discovery_oauth'.</p>"),
      std::string::npos)
      << reply.body();
}

TEST(LoginCallbackServerTest, Returns400ForRepeatedToken) {
  const Reply reply =
      reply_to_rejected(get_request("/callback?" + std::string(kValidQuery) + "&token=other"));

  EXPECT_EQ(reply.result(), http::status::bad_request);
  EXPECT_NE(reply.body().find("<p>The sign-in callback has more than one 'token' "
                              "parameter.</p>"),
            std::string::npos)
      << reply.body();
}

TEST(LoginCallbackServerTest, Returns400ForMissingState) {
  const Reply reply =
      reply_to_rejected(get_request("/callback?" + std::string(kValidQuery)), std::string(64, 'b'));

  EXPECT_EQ(reply.result(), http::status::bad_request);
  EXPECT_NE(reply.body().find("<p>The sign-in callback has no state, so aai cannot tell that it "
                              "belongs to this sign-in.</p>"),
            std::string::npos)
      << reply.body();
}

TEST(LoginCallbackServerTest, Returns400ForWrongState) {
  const std::string expected(64, 'b');
  const std::string other(64, 'c');

  const Reply reply = reply_to_rejected(
      get_request("/callback?state=" + other + "&" + std::string(kValidQuery)), expected);

  EXPECT_EQ(reply.result(), http::status::bad_request);
  EXPECT_NE(reply.body().find("<p>The sign-in callback's state does not match this sign-in. It "
                              "may come from an earlier or another `aai login`.</p>"),
            std::string::npos)
      << reply.body();
  EXPECT_EQ(reply.body().find(other), std::string::npos);
  EXPECT_EQ(reply.body().find(expected), std::string::npos);
}

TEST(LoginCallbackServerTest, LogsRejectionsWithoutQuery) {
  const std::string expected(64, 'b');
  LoginCallbackServer server(0, expected);
  std::vector<std::string> lines;
  server.set_log([&lines](const std::string& line) { lines.push_back(line); });
  auto replies = send_in_order(
      server.port(), {get_request("/callback?state=wrong&" + std::string(kValidQuery)),
                      get_request("/other?token=secret-in-path-query"),
                      get_request("/callback?state=" + expected + "&" + std::string(kValidQuery))});

  ASSERT_TRUE(wait_briefly(server).has_value());
  replies.get();

  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0],
            "Responded 400 to GET /callback: The sign-in callback's state does not match this "
            "sign-in. It may come from an earlier or another `aai login`.");
  EXPECT_EQ(lines[1],
            "Responded 404 to GET /other: Not found. This server only serves the sign-in "
            "callback at /callback.");
}

TEST(LoginCallbackServerTest, Returns400ForMalformedRequest) {
  const Reply reply = reply_to_rejected("NOT HTTP AT ALL\r\n\r\n");

  EXPECT_EQ(reply.result(), http::status::bad_request);
  EXPECT_EQ(reply.body(), "Bad request.\n");
}

TEST(LoginCallbackServerTest, Returns431ForRequestOver16KiB) {
  const Reply reply = reply_to_rejected(
      "GET /callback?" + std::string(kValidQuery) +
      " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + std::string(17 * 1024, 'x') + "\r\n\r\n");

  EXPECT_EQ(reply.result(), http::status::request_header_fields_too_large);
  EXPECT_EQ(reply.body(), "Request header fields too large. The limit is 16 KiB.\n");
}

TEST(LoginCallbackServerTest, Returns413ForBodyOver16KiB) {
  // Only the header is sent: its Content-Length alone is over the limit.
  const Reply reply =
      reply_to_rejected("GET /callback?" + std::string(kValidQuery) +
                        " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 20000\r\n\r\n");

  EXPECT_EQ(reply.result(), http::status::payload_too_large);
  EXPECT_EQ(reply.body(), "Request body too large. The limit is 16 KiB.\n");
}

TEST(LoginCallbackServerTest, StopsListeningAfterValidCallback) {
  LoginCallbackServer server(0, std::nullopt);
  const uint16_t port = server.port();
  auto replies = send_in_order(port, {get_request("/callback?" + std::string(kValidQuery))});
  ASSERT_TRUE(wait_briefly(server).has_value());
  replies.get();

  asio::io_context io;
  tcp::socket socket(io);
  boost::system::error_code error;
  socket.connect(tcp::endpoint(asio::ip::address_v4::loopback(), port), error);

  EXPECT_EQ(error, asio::error::connection_refused);
  const auto again = server.wait(Clock::now(), [] { return false; });
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->token, kToken);
}

TEST(LoginCallbackServerTest, ClosesListenerWhenDestroyed) {
  uint16_t port = 0;
  {
    LoginCallbackServer server(0, std::nullopt);
    port = server.port();
  }

  asio::io_context io;
  tcp::socket socket(io);
  boost::system::error_code error;
  socket.connect(tcp::endpoint(asio::ip::address_v4::loopback(), port), error);

  EXPECT_EQ(error, asio::error::connection_refused);
}

TEST(LoginCallbackServerTest, ReturnsNulloptAtDeadline) {
  LoginCallbackServer server(0, std::nullopt);
  const auto started = Clock::now();

  const auto result = server.wait(started + 300ms, [] { return false; });

  const auto elapsed = Clock::now() - started;
  EXPECT_FALSE(result.has_value());
  EXPECT_GE(elapsed, 300ms);
  EXPECT_LT(elapsed, 2s);
}

TEST(LoginCallbackServerTest, ThrowsWhenInterrupted) {
  LoginCallbackServer server(0, std::nullopt);
  const auto started = Clock::now();
  std::vector<Clock::time_point> checks;
  const auto interrupted = [&] {
    checks.push_back(Clock::now());
    return Clock::now() - started >= 1s;
  };

  try {
    server.wait(started + 20s, interrupted);
    FAIL() << "wait() returned";
  } catch (const aai::Error& error) {
    EXPECT_EQ(error.exit_code(), 130);
    EXPECT_EQ(error.type(), "interrupted");
    EXPECT_STREQ(error.what(), "Interrupted.");
  }

  ASSERT_GE(checks.size(), 5u);
  for (size_t i = 1; i < checks.size(); ++i) {
    EXPECT_LE(checks[i] - checks[i - 1], 250ms) << "gap before check " << i;
  }
}

TEST(LoginCallbackServerTest, ReportsPortInUse) {
  asio::io_context io;
  tcp::acceptor occupant(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  const uint16_t port = occupant.local_endpoint().port();

  try {
    LoginCallbackServer server(port, std::nullopt);
    FAIL() << "the server bound a port that is in use";
  } catch (const aai::Error& error) {
    EXPECT_EQ(error.exit_code(), 1);
    EXPECT_EQ(error.type(), "port_unavailable");
    EXPECT_EQ(std::string(error.what()), "Port " + std::to_string(port) +
                                             " on 127.0.0.1 is in use, so the sign-in callback "
                                             "cannot listen there.");
    EXPECT_EQ(error.suggestion(),
              "Close the program that uses it, or set AAI_AUTH_PORT to a free port.");
  }
}

TEST(LoginCallbackServerTest, SilentClientDoesNotBlockValidCallback) {
  LoginCallbackServer server(0, std::nullopt);
  asio::io_context io;
  tcp::socket silent(io);
  silent.connect(tcp::endpoint(asio::ip::address_v4::loopback(), server.port()));
  auto replies =
      send_in_order(server.port(), {get_request("/callback?" + std::string(kValidQuery))});
  std::vector<std::string> lines;
  server.set_log([&lines](const std::string& line) { lines.push_back(line); });
  const auto started = Clock::now();

  const auto result = wait_briefly(server);

  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->token, kToken);
  EXPECT_EQ(replies.get().at(0).result(), http::status::ok);
  EXPECT_LT(Clock::now() - started, 7s);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].rfind("Closed a connection without a response: ", 0), 0u) << lines[0];
  char byte = 0;
  boost::system::error_code error;
  asio::read(silent, asio::buffer(&byte, 1), error);
  EXPECT_EQ(error, asio::error::eof);
}

}  // namespace
}  // namespace auth_stytch
