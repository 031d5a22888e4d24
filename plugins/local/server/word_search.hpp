// The word-search endpoint's matching: terms of up to five words against a transcript's words.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/text_layout.hpp"

namespace aai::local {

/// Returns the `matches` array of the word-search response: for each term, its count, the
/// [start, end] of each match in milliseconds and the index of each match's first word. Matching
/// ignores case and punctuation, so "Man" matches "man.".
nlohmann::json search_words(const std::vector<Word>& words, const std::vector<std::string>& terms);

/// Lower-cases and keeps only letters, digits and apostrophes.
std::string normalize_word(const std::string& text);

}  // namespace aai::local
