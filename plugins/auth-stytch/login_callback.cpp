#include "login_callback.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <aai/plugin.hpp>

#include "login_state.hpp"

namespace auth_stytch {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Response = http::response<http::string_body>;
using QueryParameters = std::map<std::string, std::vector<std::string>, std::less<>>;

constexpr size_t kMaxRequestBytes = 16 * 1024;
constexpr auto kConnectionTimeout = std::chrono::seconds(5);
constexpr auto kPollInterval = std::chrono::milliseconds(200);
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(100);
constexpr std::string_view kCallbackPath = "/callback";
constexpr std::string_view kTokenType = "discovery_oauth";

int hex_digit_value(char digit) {
  if (digit >= '0' && digit <= '9') {
    return digit - '0';
  }
  if (digit >= 'a' && digit <= 'f') {
    return digit - 'a' + 10;
  }
  if (digit >= 'A' && digit <= 'F') {
    return digit - 'A' + 10;
  }
  return -1;
}

// Decodes a query component as HTML forms encode it: %XX escapes, and '+' as a space. An
// escape without two hex digits after it is kept as it is.
std::string percent_decode(std::string_view text) {
  std::string decoded;
  decoded.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      decoded += ' ';
      continue;
    }
    if (text[i] == '%' && i + 2 < text.size()) {
      const int high = hex_digit_value(text[i + 1]);
      const int low = hex_digit_value(text[i + 2]);
      if (high >= 0 && low >= 0) {
        decoded += static_cast<char>(high * 16 + low);
        i += 2;
        continue;
      }
    }
    decoded += text[i];
  }
  return decoded;
}

// Encodes every byte except the unreserved characters of RFC 3986 as %XX.
std::string percent_encode(std::string_view text) {
  constexpr std::string_view kHexDigits = "0123456789ABCDEF";
  std::string encoded;
  for (const char character : text) {
    const auto byte = static_cast<unsigned char>(character);
    const bool unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                            (byte >= '0' && byte <= '9') || byte == '-' || byte == '.' ||
                            byte == '_' || byte == '~';
    if (unreserved) {
      encoded += character;
    } else {
      encoded += '%';
      encoded += kHexDigits[byte >> 4];
      encoded += kHexDigits[byte & 0x0F];
    }
  }
  return encoded;
}

// Escapes text for an HTML element's content. Attribute values would need quotes escaped too.
std::string escape_html(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (const char character : text) {
    switch (character) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      default:
        escaped += character;
    }
  }
  return escaped;
}

// Splits "a=1&b=2" into decoded names and values, keeping every value of a repeated name.
QueryParameters parse_query(std::string_view query) {
  QueryParameters parameters;
  while (!query.empty()) {
    const size_t ampersand = query.find('&');
    const std::string_view pair = query.substr(0, ampersand);
    query = ampersand == std::string_view::npos ? std::string_view() : query.substr(ampersand + 1);
    if (pair.empty()) {
      continue;
    }
    const size_t equals = pair.find('=');
    std::string value =
        equals == std::string_view::npos ? "" : percent_decode(pair.substr(equals + 1));
    parameters[percent_decode(pair.substr(0, equals))].push_back(std::move(value));
  }
  return parameters;
}

// The problem with a callback, as a sentence for the error page, or the result it carries.
using CallbackCheck = std::variant<CallbackResult, std::string>;

// Looks up a parameter that may appear at most once. Sets `problem` when it repeats.
std::optional<std::string> single_parameter(const QueryParameters& parameters,
                                            std::string_view name, std::string& problem) {
  const auto found = parameters.find(name);
  if (found == parameters.end()) {
    return std::nullopt;
  }
  if (found->second.size() > 1) {
    problem = "The sign-in callback has more than one '" + std::string(name) + "' parameter.";
    return std::nullopt;
  }
  return found->second.front();
}

CallbackCheck check_callback(const QueryParameters& parameters,
                             const std::optional<std::string>& expected_state) {
  std::string problem;
  const auto state = single_parameter(parameters, "state", problem);
  const auto token_type = single_parameter(parameters, "stytch_token_type", problem);
  const auto token = single_parameter(parameters, "token", problem);
  if (!problem.empty()) {
    return problem;
  }

  // The state is checked first, so a callback that belongs to another sign-in is rejected for
  // that reason whatever else it contains.
  if (expected_state && !state) {
    return std::string(
        "The sign-in callback has no state, so aai cannot tell that it belongs "
        "to this sign-in.");
  }
  if (expected_state && !states_match(*expected_state, *state)) {
    return std::string(
        "The sign-in callback's state does not match this sign-in. It may come "
        "from an earlier or another `aai login`.");
  }
  if (!token_type) {
    return "The sign-in callback has no token type, but aai expects '" + std::string(kTokenType) +
           "'.";
  }
  if (*token_type != kTokenType) {
    return "The sign-in callback has token type '" + *token_type + "', but aai expects '" +
           std::string(kTokenType) + "'.";
  }
  if (!token || token->empty()) {
    return std::string("The sign-in callback has no token.");
  }
  return CallbackResult{*token, *token_type};
}

// Every page removes the query from the address bar, because it may contain a one-time token.
std::string html_page(std::string_view title, std::string_view body_html) {
  const std::string escaped_title = escape_html(title);
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
         escaped_title + "</title>\n</head>\n<body>\n<h1>" + escaped_title + "</h1>\n" +
         std::string(body_html) +
         "<script>history.replaceState(null, \"\", location.pathname);</script>\n"
         "</body>\n</html>\n";
}

Response make_response(http::status status, std::string_view content_type, std::string body) {
  Response response(status, 11);
  response.set(http::field::content_type, std::string(content_type));
  response.set(http::field::cache_control, "no-store");
  response.set("Referrer-Policy", "no-referrer");
  response.keep_alive(false);
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

Response text_response(http::status status, std::string_view text) {
  return make_response(status, "text/plain; charset=utf-8", std::string(text) + "\n");
}

Response success_response() {
  return make_response(http::status::ok, "text/html; charset=utf-8",
                       html_page("Signed in to aai",
                                 "<p>Sign-in is complete. You can close this tab and return to "
                                 "the terminal.</p>\n"));
}

Response rejected_callback_response(std::string_view problem) {
  return make_response(
      http::status::bad_request, "text/html; charset=utf-8",
      html_page("Sign-in to aai failed", "<p>" + escape_html(problem) +
                                             "</p>\n<p>Start <code>aai login</code> again in your "
                                             "terminal.</p>\n"));
}

// A request that the HTTP parser rejected, as opposed to a connection that closed or timed out.
bool is_malformed_request(const beast::error_code& error) {
  return error.category() == http::make_error_code(http::error::bad_target).category() &&
         error != http::error::end_of_stream && error != http::error::partial_message;
}

aai::Error listen_error(uint16_t port, const boost::system::error_code& error) {
  const std::string port_text = std::to_string(port);
  if (error == asio::error::address_in_use) {
    return aai::Error(AAI_EXIT_FAILURE, "port_unavailable",
                      "Port " + port_text +
                          " on 127.0.0.1 is in use, so the sign-in callback cannot listen there.",
                      "Close the program that uses it, or set AAI_AUTH_PORT to a free port.");
  }
  return aai::Error(AAI_EXIT_FAILURE, "port_unavailable",
                    "The sign-in callback cannot listen on port " + port_text +
                        " on 127.0.0.1: " + error.message() + ".",
                    "Set AAI_AUTH_PORT to a free port from 1024 to 65535.");
}

// What the server sends back for one request.
struct Answer {
  Response response;
  /// The callback's token, set only for a valid callback.
  std::optional<CallbackResult> result;
  /// Why the request was rejected, for the log. Empty for a valid callback.
  std::string problem;
};

Answer text_answer(http::status status, std::string text) {
  Response response = text_response(status, text);
  return {std::move(response), std::nullopt, std::move(text)};
}

Answer answer_request(const http::request<http::string_body>& request,
                      const std::optional<std::string>& expected_state) {
  const std::string_view target(request.target().data(), request.target().size());
  const size_t question_mark = target.find('?');
  if (target.substr(0, question_mark) != kCallbackPath) {
    return text_answer(http::status::not_found,
                       "Not found. This server only serves the sign-in callback at /callback.");
  }
  if (request.method() != http::verb::get) {
    Answer answer = text_answer(http::status::method_not_allowed,
                                "Method not allowed. The sign-in callback accepts GET only.");
    answer.response.set(http::field::allow, "GET");
    return answer;
  }

  const std::string_view query = question_mark == std::string_view::npos
                                     ? std::string_view()
                                     : target.substr(question_mark + 1);
  CallbackCheck check = check_callback(parse_query(query), expected_state);
  if (auto* problem = std::get_if<std::string>(&check)) {
    return {rejected_callback_response(*problem), std::nullopt, std::move(*problem)};
  }
  return {success_response(), std::get<CallbackResult>(std::move(check)), ""};
}

}  // namespace

class LoginCallbackServer::Impl {
 public:
  Impl(uint16_t port, std::optional<std::string> expected_state)
      : acceptor_(io_), retry_timer_(io_), expected_state_(std::move(expected_state)) {
    open_listener(port);
    start_accept();
  }

  uint16_t port() const { return port_; }

  void set_log(std::function<void(const std::string&)> log) { log_ = std::move(log); }

  std::string redirect_url() const {
    std::string url = "http://127.0.0.1:" + std::to_string(port_) + std::string(kCallbackPath);
    if (expected_state_) {
      url += "?state=" + percent_encode(*expected_state_);
    }
    return url;
  }

  std::optional<CallbackResult> wait(std::chrono::steady_clock::time_point deadline,
                                     const std::function<bool()>& interrupted) {
    while (!result_) {
      if (interrupted && interrupted()) {
        throw aai::Error(AAI_EXIT_INTERRUPTED, "interrupted", "Interrupted.");
      }
      const auto now = std::chrono::steady_clock::now();
      if (now >= deadline) {
        return std::nullopt;
      }
      const std::chrono::steady_clock::duration remaining = deadline - now;
      if (io_.stopped()) {
        io_.restart();
      }
      io_.run_one_for(std::min<std::chrono::steady_clock::duration>(remaining, kPollInterval));
    }
    return result_;
  }

 private:
  void open_listener(uint16_t port) {
    const tcp::endpoint endpoint(asio::ip::address_v4::loopback(), port);
    boost::system::error_code error;
    acceptor_.open(endpoint.protocol(), error);
    // SO_REUSEADDR lets a new sign-in bind while connections of the previous one are in
    // TIME_WAIT. On Linux it does not allow binding a port that another socket listens on.
    if (!error) {
      acceptor_.set_option(tcp::acceptor::reuse_address(true), error);
    }
    if (!error) {
      acceptor_.bind(endpoint, error);
    }
    if (!error) {
      acceptor_.listen(asio::socket_base::max_listen_connections, error);
    }
    if (error) {
      throw listen_error(port, error);
    }
    port_ = acceptor_.local_endpoint().port();
  }

  void start_accept() {
    acceptor_.async_accept([this](const boost::system::error_code& error, tcp::socket socket) {
      on_accept(error, std::move(socket));
    });
  }

  void on_accept(const boost::system::error_code& error, tcp::socket socket) {
    if (error == asio::error::operation_aborted) {
      return;
    }
    if (error) {
      log("Accepting a connection failed: " + error.message() + ".");
      // Errors such as EMFILE persist for a while, so a short pause keeps the loop from spinning.
      retry_timer_.expires_after(kAcceptRetryDelay);
      retry_timer_.async_wait([this](const boost::system::error_code& timer_error) {
        if (!timer_error) {
          start_accept();
        }
      });
      return;
    }

    stream_.emplace(std::move(socket));
    buffer_.clear();
    parser_.emplace();
    parser_->header_limit(kMaxRequestBytes);
    parser_->body_limit(kMaxRequestBytes);
    // One deadline covers the whole read, so a client that connects and sends nothing, or sends
    // slowly, keeps the server busy for at most this long.
    stream_->expires_after(kConnectionTimeout);
    http::async_read(
        *stream_, buffer_, *parser_,
        [this](const beast::error_code& read_error, size_t /*bytes*/) { on_read(read_error); });
  }

  void on_read(const beast::error_code& error) {
    if (!error) {
      respond(answer_request(parser_->get(), expected_state_));
    } else if (error == http::error::header_limit || error == http::error::buffer_overflow) {
      respond(text_answer(http::status::request_header_fields_too_large,
                          "Request header fields too large. The limit is 16 KiB."));
    } else if (error == http::error::body_limit) {
      respond(text_answer(http::status::payload_too_large,
                          "Request body too large. The limit is 16 KiB."));
    } else if (is_malformed_request(error)) {
      respond(text_answer(http::status::bad_request, "Bad request."));
    } else {
      // The client closed the connection or sent nothing in time, so no response can be sent.
      log("Closed a connection without a response: " + error.message() + ".");
      close_connection();
      start_accept();
    }
  }

  void respond(Answer answer) {
    if (!answer.result) {
      log("Responded " + std::to_string(answer.response.result_int()) + " to " +
          describe_request() + ": " + answer.problem);
    }
    response_ = std::move(answer.response);
    pending_result_ = std::move(answer.result);
    stream_->expires_after(kConnectionTimeout);
    http::async_write(*stream_, response_,
                      [this](const beast::error_code& /*error*/, size_t /*bytes*/) { on_write(); });
  }

  void on_write() {
    close_connection();
    // A valid callback counts even when its page could not be delivered, because the token has
    // arrived and the browser tab may simply have been closed.
    if (pending_result_) {
      result_ = std::move(pending_result_);
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      return;
    }
    start_accept();
  }

  void log(const std::string& line) const {
    if (log_) {
      log_(line);
    }
  }

  // Returns the method and path of the request being served, without the query, because the
  // query may contain a token.
  std::string describe_request() const {
    if (!parser_->is_header_done()) {
      return "an incomplete request";
    }
    const auto& request = parser_->get();
    const std::string_view target(request.target().data(), request.target().size());
    return std::string(request.method_string()) + " " +
           std::string(target.substr(0, target.find('?')));
  }

  void close_connection() {
    boost::system::error_code ignored;
    stream_->socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_->close();
  }

  asio::io_context io_;
  tcp::acceptor acceptor_;
  asio::steady_timer retry_timer_;
  std::optional<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Response response_;
  std::optional<std::string> expected_state_;
  std::function<void(const std::string&)> log_;
  uint16_t port_ = 0;
  std::optional<CallbackResult> pending_result_;
  std::optional<CallbackResult> result_;
};

LoginCallbackServer::LoginCallbackServer(uint16_t port, std::optional<std::string> expected_state)
    : impl_(std::make_unique<Impl>(port, std::move(expected_state))) {}

LoginCallbackServer::~LoginCallbackServer() = default;

uint16_t LoginCallbackServer::port() const {
  return impl_->port();
}

std::string LoginCallbackServer::redirect_url() const {
  return impl_->redirect_url();
}

void LoginCallbackServer::set_log(std::function<void(const std::string& line)> log) {
  impl_->set_log(std::move(log));
}

std::optional<CallbackResult> LoginCallbackServer::wait(
    std::chrono::steady_clock::time_point deadline, const std::function<bool()>& interrupted) {
  return impl_->wait(deadline, interrupted);
}

}  // namespace auth_stytch
