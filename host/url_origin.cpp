#include "url_origin.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace aai::host {

namespace {

std::string to_lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

int default_port(const std::string& scheme) {
  if (scheme == "http" || scheme == "ws") {
    return 80;
  }
  if (scheme == "https" || scheme == "wss") {
    return 443;
  }
  return 0;
}

std::optional<int> parse_port(const std::string& text) {
  int port = 0;
  auto result = std::from_chars(text.data(), text.data() + text.size(), port);
  if (text.empty() || result.ec != std::errc() || result.ptr != text.data() + text.size() ||
      port < 1 || port > 65535) {
    return std::nullopt;
  }
  return port;
}

}  // namespace

std::optional<UrlOrigin> parse_origin(const std::string& url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) {
    return std::nullopt;
  }
  UrlOrigin origin;
  origin.scheme = to_lower(url.substr(0, scheme_end));
  if (default_port(origin.scheme) == 0) {
    return std::nullopt;
  }
  size_t authority_start = scheme_end + 3;
  size_t authority_end = url.find_first_of("/?#", authority_start);
  std::string authority = url.substr(authority_start, authority_end == std::string::npos
                                                          ? std::string::npos
                                                          : authority_end - authority_start);
  if (authority.empty() || authority.find('@') != std::string::npos ||
      authority.find_first_of(" \t\r\n") != std::string::npos) {
    return std::nullopt;
  }
  size_t host_end = authority[0] == '[' ? authority.find(']') : authority.rfind(':');
  if (authority[0] == '[') {
    if (host_end == std::string::npos) {
      return std::nullopt;
    }
    ++host_end;
  }
  origin.host = to_lower(authority.substr(0, host_end));
  origin.port = default_port(origin.scheme);
  if (host_end != std::string::npos && host_end < authority.size()) {
    if (authority[host_end] != ':') {
      return std::nullopt;
    }
    auto port = parse_port(authority.substr(host_end + 1));
    if (!port) {
      return std::nullopt;
    }
    origin.port = *port;
  }
  if (origin.host.empty() || origin.host == "[]") {
    return std::nullopt;
  }
  return origin;
}

bool is_loopback(const UrlOrigin& origin) {
  return origin.host == "127.0.0.1" || origin.host == "[::1]" || origin.host == "localhost";
}

}  // namespace aai::host
