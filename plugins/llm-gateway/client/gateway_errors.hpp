// Conversion of the gateway's failures into aai::Error values with the messages users see.
#pragma once

#include <aai/plugin.hpp>

#include <cstdint>
#include <string>

namespace aai::llm {

/// Maximum number of bytes of a non-JSON error body that an error message quotes.
inline constexpr size_t kMaxQuotedBodyBytes = 200;

/// Extracts the gateway's message from an error body: `{"error":{"message":M}}`,
/// `{"error":M}` or `{"message":M}`. Any other body gives its first kMaxQuotedBodyBytes bytes,
/// and an empty one gives "no message".
std::string gateway_message(const std::string& body);

/// Builds the error for a non-2xx response that came after `attempts` sends of the request.
aai::Error gateway_error(int status, const std::string& body, uint32_t attempts);

/// Builds the error for a 2xx response that cannot be used; `reason` ends without a period.
aai::Error unreadable_answer(const std::string& reason);

/// Builds the error for a streamed response that ended before its `[DONE]` event.
aai::Error stream_cut_error();

}  // namespace aai::llm
