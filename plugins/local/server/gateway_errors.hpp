// The error shape of the emulator's LLM Gateway under /v1, which differs from the REST API's.
#pragma once

#include <string>

#include "server/api_response.hpp"

namespace aai::local {

/// Message of a 401 from the gateway.
inline constexpr const char* kGatewayInvalidKey = "Invalid API key.";

/// Message of a 403 for an organization without gateway access.
inline constexpr const char* kGatewayPlanRefused =
    "Your organization's plan does not include LLM Gateway access. Upgrade to a paid plan to use "
    "it.";

/// Returns whether `path` belongs to the gateway: "/v1" or anything under "/v1/".
inline bool is_gateway_path(const std::string& path) {
  return path == "/v1" || path.rfind("/v1/", 0) == 0;
}

/// Returns the gateway's error shape: {"error": {"code": STATUS, "message": MESSAGE}}.
inline ApiResponse gateway_error(unsigned status, const std::string& message) {
  return json_response(status, {{"error", {{"code", status}, {"message", message}}}});
}

}  // namespace aai::local
