// JSON string quoting, so that the example needs no JSON library.
#pragma once

#include <string>
#include <string_view>

namespace word_count {

/// Returns `text` as a JSON string literal, quotes included. Every byte that is not part of
/// well-formed UTF-8 becomes U+FFFD, so the result is valid JSON for any input, such as words
/// from a binary file or a file name in another encoding.
std::string json_quote(std::string_view text);

}  // namespace word_count
