// URLs of the Streaming v3 API: the session WebSocket and the temporary-token endpoint.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace streaming {

/// Seconds a temporary token from --temp-token stays valid; the service accepts 1 to 600.
inline constexpr int kTemporaryTokenSeconds = 60;

/// Returns `{streaming_base}/v3/ws?sample_rate=RATE&...`, every value percent-encoded, with
/// `token` last when given.
std::string session_url(const std::string& streaming_base,
                        const std::map<std::string, std::string>& query, int sample_rate,
                        const std::optional<std::string>& token = std::nullopt);

/// Returns the temporary-token URL: streaming_base with ws mapped to http and wss to https,
/// plus `/v3/token?expires_in_seconds=60`.
std::string token_url(const std::string& streaming_base);

/// Percent-encodes everything but RFC 3986's unreserved characters.
std::string percent_encode(const std::string& text);

}  // namespace streaming
