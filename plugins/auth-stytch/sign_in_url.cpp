#include "sign_in_url.hpp"

#include <aai/plugin.hpp>

#include <charconv>
#include <cstring>

namespace auth_stytch {

uint16_t parse_auth_port(const char* value) {
  if (value == nullptr || *value == '\0') {
    return kDefaultAuthPort;
  }
  const char* end = value + std::strlen(value);
  unsigned port = 0;
  auto [parsed_end, error] = std::from_chars(value, end, port);
  if (error != std::errc() || parsed_end != end || port < 1 || port > 65535) {
    throw aai::Error(
        AAI_EXIT_USAGE, "invalid_env",
        std::string("AAI_AUTH_PORT must be a port number from 1 to 65535, not '") + value + "'.",
        "Unset AAI_AUTH_PORT to use port " + std::to_string(kDefaultAuthPort) + ".");
  }
  return static_cast<uint16_t>(port);
}

std::string percent_encode(const std::string& text) {
  static constexpr char kHexDigits[] = "0123456789ABCDEF";
  std::string encoded;
  encoded.reserve(text.size() * 3);
  for (unsigned char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      encoded += static_cast<char>(c);
    } else {
      encoded += '%';
      encoded += kHexDigits[c >> 4];
      encoded += kHexDigits[c & 0x0F];
    }
  }
  return encoded;
}

std::string make_start_url(const std::string& stytch_domain, const std::string& public_token,
                           const std::string& redirect_url) {
  return stytch_domain + "/v1/b2b/public/oauth/google/discovery/start?public_token=" +
         percent_encode(public_token) + "&discovery_redirect_url=" + percent_encode(redirect_url);
}

}  // namespace auth_stytch
