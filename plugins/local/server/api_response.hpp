// Requests and responses of the emulator's API, independent of the HTTP library.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace aai::local {

struct ApiRequest {
  std::string method;
  /// Path and query as sent: "/v2/transcript?limit=5".
  std::string target;
  std::string authorization;
  /// The Cookie header as sent: "stytch_session_jwt=...; other=...".
  std::string cookie;
  std::string body;
};

struct ApiResponse {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  /// Further headers, such as Location on a redirect.
  std::vector<std::pair<std::string, std::string>> headers;
  /// Server-sent events. When not empty, `body` is ignored and the server sends these with
  /// chunked transfer encoding, one chunk per event, kEventInterval apart.
  std::vector<std::string> events = {};
};

inline ApiResponse json_response(unsigned status, const nlohmann::json& body) {
  return {status, "application/json", body.dump(), {}, {}};
}

/// Returns the service's error shape: {"error": MESSAGE}.
inline ApiResponse error_response(unsigned status, const std::string& message) {
  return json_response(status, {{"error", message}});
}

}  // namespace aai::local
