// The `local` environment's port (AAI_LOCAL_PORT) and the fields that point at it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace aai::local {

constexpr uint16_t kDefaultLocalPort = 8765;

/// Returns the port `text` names when it is an integer from 1 to 65535, else nullopt.
std::optional<uint16_t> parse_port(const std::string& text);

/// Returns AAI_LOCAL_PORT, or 8765 when it is unset or empty. Throws aai::Error (exit 2,
/// invalid_environment) naming the value when it is not a port.
uint16_t configured_port();

/// Returns configured_port(), or 8765 when AAI_LOCAL_PORT is invalid. Registration uses it, so
/// that a bad value is reported when the environment is used, not on every start of aai.
uint16_t port_for_registration();

/// Returns the `local` environment's fields for `port`. The emulator serves AMS under /ams and
/// Stytch under /stytch, and hands the sign-in redirect URL back with its query, so login_state is
/// "query".
std::vector<std::pair<std::string, std::string>> local_environment_fields(uint16_t port);

/// Returns the port of `url` when its origin (scheme, host and port) equals the origin of
/// `api_base`, an "http://HOST:PORT" URL, or when `url` is a "ws://" URL on that host and port;
/// nullopt otherwise.
std::optional<uint16_t> port_if_same_origin(const std::string& url, const std::string& api_base);

}  // namespace aai::local
