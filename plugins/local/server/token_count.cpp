#include "server/token_count.hpp"

#include <cctype>

namespace aai::local {

namespace {

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

bool is_continuation_byte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

std::string_view trim_trailing_space(std::string_view text) {
  while (!text.empty() && is_space(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

uint64_t count_tokens(std::string_view text) {
  return (text.size() + kBytesPerToken - 1) / kBytesPerToken;
}

TrimmedText trim_to_tokens(std::string_view text, uint64_t max_tokens) {
  text = trim_trailing_space(text);
  const uint64_t max_bytes = max_tokens * kBytesPerToken;
  if (text.size() <= max_bytes) {
    return {std::string(text), false};
  }
  // The cut goes at the last whitespace whose prefix still fits.
  size_t cut = 0;
  for (size_t i = 1; i <= max_bytes && i < text.size(); ++i) {
    if (is_space(text[i]) && !is_space(text[i - 1])) {
      cut = i;
    }
  }
  if (cut == 0) {
    cut = static_cast<size_t>(max_bytes);
    while (cut > 0 && is_continuation_byte(text[cut])) {
      --cut;
    }
  }
  return {std::string(trim_trailing_space(text.substr(0, cut))), true};
}

}  // namespace aai::local
