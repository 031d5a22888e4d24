// The emulator's token rule: a fixed ratio of UTF-8 bytes, because it has no model tokenizer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace aai::local {

/// UTF-8 bytes per token. Real tokenizers average about four bytes of English text per token.
inline constexpr uint64_t kBytesPerToken = 4;

/// Returns the tokens of `text`: ceil(UTF-8 bytes / 4).
uint64_t count_tokens(std::string_view text);

struct TrimmedText {
  std::string text;
  /// Whether anything was cut off.
  bool trimmed = false;
};

/// Returns the longest prefix of `text` that ends at a word and has at most `max_tokens` tokens,
/// without trailing whitespace. When even the first word is too long, that word is cut at a UTF-8
/// character boundary, so the result is never empty for a non-blank `text` and `max_tokens` >= 1.
TrimmedText trim_to_tokens(std::string_view text, uint64_t max_tokens);

}  // namespace aai::local
