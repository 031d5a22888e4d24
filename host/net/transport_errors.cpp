#include "host/net/transport_errors.hpp"

#include <cerrno>
#include <string_view>

#include <cpprest/http_msg.h>
#include <cpprest/uri.h>
#include <openssl/err.h>

namespace aai::host {
namespace {

using Kind = TransportError::Kind;

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::string without_trailing_period(std::string text) {
  while (!text.empty() && (text.back() == '.' || text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

std::string host_of(const std::string& url) {
  try {
    return web::uri(url).host();
  } catch (const web::uri_exception&) {
    return url;
  }
}

// cpprestsdk 2.10 (Boost.Asio backend) reports resolver failures only through these message
// texts, with an error code taken from the resolver's own category, so the text is the only
// reliable signal. It reports a refused connection as EHOSTUNREACH, which is why a refused
// connection and an unreachable host get one message.
TransportError from_http_exception(const web::http::http_exception& error, const std::string& url,
                                   std::chrono::milliseconds timeout) {
  const std::string what = error.what();
  const int code = error.error_code().value();
  if (starts_with(what, "Error resolving address") || starts_with(what, "Failed to resolve")) {
    return TransportError(Kind::kConnectionFailed, "Failed to resolve the host name \"" +
                                                       host_of(url) + "\" in " + url + ".");
  }
  if (code == ETIMEDOUT) {
    return TransportError(Kind::kTimedOut, "The request to " + url +
                                               " timed out: no data was sent or received for " +
                                               format_duration(timeout) + ".");
  }
  if (code == ECONNREFUSED || code == EHOSTUNREACH || starts_with(what, "Failed to connect")) {
    return TransportError(
        Kind::kConnectionFailed,
        "Failed to connect to " + url + ": the connection was refused or the host is unreachable.");
  }
  if (what.find("SSL handshake") != std::string::npos) {
    // cpprestsdk's text is only "Error in SSL handshake". It passes OpenSSL's packed error code
    // on in the system category, so OpenSSL has to name the reason ("certificate verify failed").
    const char* ssl_reason = ERR_reason_error_string(static_cast<unsigned long>(code));
    const std::string reason = ssl_reason != nullptr ? ssl_reason : error.error_code().message();
    const std::string detail =
        reason.empty() || what.find(reason) != std::string::npos ? "" : " (" + reason + ")";
    return TransportError(Kind::kTlsFailed, "The TLS handshake with " + url + " failed: " +
                                                without_trailing_period(what) + detail + ".");
  }
  // Once connected, cpprestsdk words every failed read or write as "Failed to read ..." or
  // "Failed to write ...", with the socket's error code.
  if (code == ECONNRESET || code == EPIPE || code == ECONNABORTED ||
      starts_with(what, "Failed to read") || starts_with(what, "Failed to write")) {
    return TransportError(Kind::kConnectionDropped, "The connection to " + url +
                                                        " dropped after the request was sent: " +
                                                        without_trailing_period(what) + ".");
  }
  return TransportError(
      Kind::kOther, "The request to " + url + " failed: " + without_trailing_period(what) + ".");
}

}  // namespace

TransportError to_transport_error(const std::exception& error, const std::string& url,
                                  std::chrono::milliseconds timeout) {
  if (const auto* http_error = dynamic_cast<const web::http::http_exception*>(&error)) {
    return from_http_exception(*http_error, url, timeout);
  }
  if (dynamic_cast<const web::uri_exception*>(&error) != nullptr) {
    return TransportError(Kind::kInvalidUrl, "Invalid URL \"" + url + "\": it is not a valid URI.");
  }
  return TransportError(Kind::kOther, "The request to " + url + " failed: " +
                                          without_trailing_period(error.what()) + ".");
}

TransportError make_cancelled_error(const std::string& url) {
  return TransportError(Kind::kCancelled, "The request to " + url + " was cancelled.");
}

TransportError make_file_unreadable_error(const std::filesystem::path& file, const std::string& url,
                                          const std::string& reason) {
  return TransportError(Kind::kFileUnreadable, "Failed to read the request body file \"" +
                                                   file.string() + "\" for " + url + ": " + reason +
                                                   ".");
}

std::string format_duration(std::chrono::milliseconds duration) {
  const auto milliseconds = duration.count();
  if (milliseconds % 1000 == 0) {
    return std::to_string(milliseconds / 1000) + " s";
  }
  return std::to_string(milliseconds) + " ms";
}

}  // namespace aai::host
