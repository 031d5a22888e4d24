// Splitting a request target into its path and its decoded query parameters.
#pragma once

#include <map>
#include <string>

namespace aai::local {

struct RequestTarget {
  std::string path;
  /// Decoded query parameters; the first value wins when a name repeats.
  std::map<std::string, std::string> query;
};

/// Splits "/v2/transcript?limit=5" into its path and query. Percent escapes and '+' are decoded.
RequestTarget parse_target(const std::string& target);

/// Decodes percent escapes, and '+' as a space. An invalid escape is kept as it is.
std::string percent_decode(const std::string& text);

/// Encodes every byte except unreserved characters (RFC 3986) as a percent escape.
std::string percent_encode(const std::string& text);

}  // namespace aai::local
