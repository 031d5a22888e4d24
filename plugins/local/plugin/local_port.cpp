#include "plugin/local_port.hpp"

#include <cstdlib>

#include <aai/plugin.hpp>

namespace aai::local {

std::optional<uint16_t> parse_port(const std::string& text) {
  if (text.empty() || text.size() > 5 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  long value = std::stol(text);
  if (value < 1 || value > 65535) {
    return std::nullopt;
  }
  return static_cast<uint16_t>(value);
}

uint16_t configured_port() {
  const char* text = std::getenv("AAI_LOCAL_PORT");
  if (text == nullptr || text[0] == '\0') {
    return kDefaultLocalPort;
  }
  if (auto port = parse_port(text)) {
    return *port;
  }
  throw aai::Error(AAI_EXIT_USAGE, "invalid_environment",
                   std::string("AAI_LOCAL_PORT must be 1..65535, not \"") + text + "\".",
                   "Set AAI_LOCAL_PORT to a free TCP port, or unset it to use 8765.");
}

uint16_t port_for_registration() {
  try {
    return configured_port();
  } catch (const aai::Error&) {
    return kDefaultLocalPort;
  }
}

std::vector<std::pair<std::string, std::string>> local_environment_fields(uint16_t port) {
  std::string origin = "http://127.0.0.1:" + std::to_string(port);
  return {{"api_base", origin},
          {"streaming_base", "ws://127.0.0.1:" + std::to_string(port)},
          {"llm_gateway_base", origin + "/v1"},
          {"ams_base", origin + "/ams"},
          {"stytch_domain", origin + "/stytch"},
          {"stytch_public_token", "public-token-local"},
          {"signup_url", origin + "/signup"},
          {"login_state", "query"}};
}

std::optional<uint16_t> port_if_same_origin(const std::string& url, const std::string& api_base) {
  const std::string prefix = "http://127.0.0.1:";
  // The emulator serves its WebSocket endpoint on the same port, so a streaming handshake
  // starts it too.
  const std::string websocket_prefix = "ws://127.0.0.1:";
  size_t url_prefix_size = 0;
  if (url.rfind(prefix, 0) == 0) {
    url_prefix_size = prefix.size();
  } else if (url.rfind(websocket_prefix, 0) == 0) {
    url_prefix_size = websocket_prefix.size();
  }
  if (api_base.rfind(prefix, 0) != 0 || url_prefix_size == 0) {
    return std::nullopt;
  }
  std::string base_port = api_base.substr(prefix.size());
  std::string rest = url.substr(url_prefix_size);
  std::string url_port = rest.substr(0, rest.find_first_of("/?#"));
  if (url_port != base_port) {
    return std::nullopt;
  }
  return parse_port(url_port);
}

}  // namespace aai::local
