#include "stream_url.hpp"

#include <cctype>

namespace streaming {

std::string percent_encode(const std::string& text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      encoded += c;
    } else {
      encoded += '%';
      encoded += kHex[byte >> 4];
      encoded += kHex[byte & 0x0F];
    }
  }
  return encoded;
}

std::string session_url(const std::string& streaming_base,
                        const std::map<std::string, std::string>& query, int sample_rate,
                        const std::optional<std::string>& token) {
  std::string url = streaming_base + "/v3/ws?sample_rate=" + std::to_string(sample_rate);
  for (const auto& [name, value] : query) {
    url += "&" + name + "=" + percent_encode(value);
  }
  if (token) {
    url += "&token=" + percent_encode(*token);
  }
  return url;
}

std::string token_url(const std::string& streaming_base) {
  std::string base = streaming_base;
  if (base.starts_with("wss://")) {
    base = "https://" + base.substr(6);
  } else if (base.starts_with("ws://")) {
    base = "http://" + base.substr(5);
  }
  return base + "/v3/token?expires_in_seconds=" + std::to_string(kTemporaryTokenSeconds);
}

}  // namespace streaming
