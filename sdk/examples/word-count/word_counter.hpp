// Word counting with no dependency on aai, so that it can be tested on its own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace word_count {

struct WordFrequency {
  std::string word;
  uint64_t count = 0;
};

/// Splits UTF-8 text into words and counts each distinct word.
///
/// A word is a run of ASCII letters, ASCII digits, apostrophes and non-ASCII characters, with its
/// leading and trailing apostrophes removed. Every other ASCII character separates words, and so
/// do the non-ASCII punctuation and spaces of U+00A0 to U+00BF and of the General Punctuation
/// block, U+2000 to U+206F (curly quotes, dashes, ellipsis). ASCII letters are lower-cased;
/// other letters are compared byte for byte. A word's length is its number of code points.
///
/// Memory grows with the number of distinct words and with the length of the longest word.
class WordCounter {
 public:
  /// Counts only words of at least `min_length` code points.
  explicit WordCounter(size_t min_length) : min_length_(min_length) {}

  /// Adds a piece of text. A word may continue in the next call.
  void add(std::string_view text);

  /// Ends the current text, so that the last word of one file never joins the first of the next.
  void end_text();

  uint64_t total_words() const { return total_words_; }
  size_t distinct_words() const { return counts_.size(); }

  /// Returns at most `limit` words, the most frequent first, and equally frequent words in byte
  /// order.
  std::vector<WordFrequency> most_frequent(size_t limit) const;

 private:
  void finish_pending_word();
  void count_word(std::string_view word);

  size_t min_length_;
  std::string pending_word_;
  uint64_t total_words_ = 0;
  std::unordered_map<std::string, uint64_t> counts_;
};

}  // namespace word_count
