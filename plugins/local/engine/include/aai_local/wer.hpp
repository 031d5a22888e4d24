// Word error rate: how far a recognised text is from a reference text, counted in words.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aai::local {

/// Splits text into lower-case words for scoring. Letters, digits and apostrophes make up words
/// ("don't" stays one word); every other character, hyphens included, separates words, so
/// "ill-disposed" and "ill disposed" score the same. ASCII only: other bytes are kept as letters.
inline std::vector<std::string> normalize_words(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  for (const char raw : text) {
    const auto byte = static_cast<unsigned char>(raw);
    if (std::isalnum(byte) != 0 || raw == '\'' || byte >= 0x80) {
      current.push_back(static_cast<char>(std::tolower(byte)));
      continue;
    }
    if (!current.empty()) {
      words.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) {
    words.push_back(std::move(current));
  }
  return words;
}

/// Returns the minimum number of word substitutions, insertions and deletions that turn
/// `hypothesis` into `reference` (word-level Levenshtein distance).
inline size_t word_edit_distance(const std::vector<std::string>& reference,
                                 const std::vector<std::string>& hypothesis) {
  std::vector<size_t> previous(hypothesis.size() + 1);
  std::vector<size_t> current(hypothesis.size() + 1);
  for (size_t j = 0; j <= hypothesis.size(); ++j) {
    previous[j] = j;
  }
  for (size_t i = 1; i <= reference.size(); ++i) {
    current[0] = i;
    for (size_t j = 1; j <= hypothesis.size(); ++j) {
      const size_t substitution = previous[j - 1] + (reference[i - 1] == hypothesis[j - 1] ? 0 : 1);
      current[j] = std::min({substitution, previous[j] + 1, current[j - 1] + 1});
    }
    std::swap(previous, current);
  }
  return previous[hypothesis.size()];
}

/// Returns the word error rate of `hypothesis` against `reference`: edit distance divided by the
/// number of reference words, after normalize_words. It can exceed 1 when the hypothesis has
/// extra words. An empty reference gives 0 for an empty hypothesis and 1 otherwise.
inline double word_error_rate(std::string_view reference, std::string_view hypothesis) {
  const std::vector<std::string> reference_words = normalize_words(reference);
  const std::vector<std::string> hypothesis_words = normalize_words(hypothesis);
  if (reference_words.empty()) {
    return hypothesis_words.empty() ? 0.0 : 1.0;
  }
  return static_cast<double>(word_edit_distance(reference_words, hypothesis_words)) /
         static_cast<double>(reference_words.size());
}

}  // namespace aai::local
