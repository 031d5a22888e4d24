#include "json_text.hpp"

#include <cstdio>

namespace word_count {

namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

// Returns the length of the well-formed UTF-8 sequence that starts at `at`, or 0 when the bytes
// there are not one (overlong forms, surrogates and code points above U+10FFFF included).
size_t utf8_sequence_length(std::string_view text, size_t at) {
  auto byte = [&](size_t offset) { return static_cast<unsigned char>(text[at + offset]); };
  unsigned char lead = byte(0);
  size_t length = 0;
  unsigned char second_min = 0x80;
  unsigned char second_max = 0xBF;
  if (lead < 0x80) {
    return 1;
  }
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    second_min = lead == 0xE0 ? 0xA0 : 0x80;
    second_max = lead == 0xED ? 0x9F : 0xBF;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    second_min = lead == 0xF0 ? 0x90 : 0x80;
    second_max = lead == 0xF4 ? 0x8F : 0xBF;
  } else {
    return 0;
  }
  if (text.size() - at < length) {
    return 0;
  }
  for (size_t i = 1; i < length; ++i) {
    unsigned char low = i == 1 ? second_min : 0x80;
    unsigned char high = i == 1 ? second_max : 0xBF;
    if (byte(i) < low || byte(i) > high) {
      return 0;
    }
  }
  return length;
}

}  // namespace

std::string json_quote(std::string_view text) {
  std::string quoted = "\"";
  size_t at = 0;
  while (at < text.size()) {
    unsigned char byte = static_cast<unsigned char>(text[at]);
    size_t length = utf8_sequence_length(text, at);
    if (length == 0) {
      quoted += kReplacementCharacter;
      ++at;
    } else if (byte == '"' || byte == '\\') {
      quoted += '\\';
      quoted += static_cast<char>(byte);
      ++at;
    } else if (byte < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", byte);
      quoted += escaped;
      ++at;
    } else {
      quoted += text.substr(at, length);
      at += length;
    }
  }
  quoted += '"';
  return quoted;
}

}  // namespace word_count
