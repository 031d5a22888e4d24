// The origin (scheme, host, port) of an absolute URL, used by the credential rule.
#pragma once

#include <optional>
#include <string>

namespace aai::host {

struct UrlOrigin {
  std::string scheme;  // lower case
  std::string host;    // lower case, IPv6 literals keep their brackets
  int port = 0;        // explicit port, or the scheme's default

  bool operator==(const UrlOrigin&) const = default;
};

/// Parses the origin of an absolute http, https, ws or wss URL. Returns nullopt for anything
/// else, including URLs with user info, which the host never sends.
std::optional<UrlOrigin> parse_origin(const std::string& url);

/// Returns whether the host is 127.0.0.1, ::1 or localhost.
bool is_loopback(const UrlOrigin& origin);

}  // namespace aai::host
