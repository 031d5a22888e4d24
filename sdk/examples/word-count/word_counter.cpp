#include "word_counter.hpp"

#include <algorithm>

namespace word_count {

namespace {

bool is_word_byte(unsigned char byte) {
  bool is_ascii_letter = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z');
  bool is_ascii_digit = byte >= '0' && byte <= '9';
  return is_ascii_letter || is_ascii_digit || byte == '\'' || byte >= 0x80;
}

// Returns the byte length of the separator that starts at `at` (a UTF-8 encoded code point in
// U+00A0..U+00BF or U+2000..U+206F), or 0 when none does.
size_t separator_length(std::string_view text, size_t at) {
  auto byte = [&](size_t offset) { return static_cast<unsigned char>(text[at + offset]); };
  size_t remaining = text.size() - at;
  if (remaining >= 2 && byte(0) == 0xC2 && byte(1) >= 0xA0 && byte(1) <= 0xBF) {
    return 2;
  }
  if (remaining >= 3 && byte(0) == 0xE2 && byte(2) >= 0x80 && byte(2) <= 0xBF) {
    bool in_block = byte(1) == 0x80 || (byte(1) == 0x81 && byte(2) <= 0xAF);
    return in_block ? 3 : 0;
  }
  return 0;
}

// Counts UTF-8 lead bytes, which is the number of code points in valid UTF-8.
size_t code_point_count(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

}  // namespace

void WordCounter::add(std::string_view text) {
  for (char c : text) {
    if (is_word_byte(static_cast<unsigned char>(c))) {
      pending_word_ += c;
    } else {
      finish_pending_word();
    }
  }
}

void WordCounter::end_text() {
  finish_pending_word();
}

// The pending word contains no ASCII separator, but may still contain non-ASCII punctuation,
// which is only recognised here, once all of its bytes have arrived.
void WordCounter::finish_pending_word() {
  std::string_view text = pending_word_;
  size_t word_start = 0;
  size_t at = 0;
  while (at < text.size()) {
    size_t length = separator_length(text, at);
    if (length == 0) {
      ++at;
      continue;
    }
    count_word(text.substr(word_start, at - word_start));
    at += length;
    word_start = at;
  }
  count_word(text.substr(word_start));
  pending_word_.clear();
}

void WordCounter::count_word(std::string_view word) {
  size_t first = word.find_first_not_of('\'');
  if (first == std::string_view::npos) {
    return;
  }
  word = word.substr(first, word.find_last_not_of('\'') - first + 1);
  if (code_point_count(word) < min_length_) {
    return;
  }
  std::string key(word);
  for (char& c : key) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  ++counts_[key];
  ++total_words_;
}

std::vector<WordFrequency> WordCounter::most_frequent(size_t limit) const {
  std::vector<WordFrequency> words;
  words.reserve(counts_.size());
  for (const auto& [word, count] : counts_) {
    words.push_back({word, count});
  }
  auto more_frequent = [](const WordFrequency& a, const WordFrequency& b) {
    return a.count != b.count ? a.count > b.count : a.word < b.word;
  };
  size_t result_size = std::min(limit, words.size());
  auto result_end = words.begin() + static_cast<std::ptrdiff_t>(result_size);
  std::partial_sort(words.begin(), result_end, words.end(), more_frequent);
  words.resize(result_size);
  return words;
}

}  // namespace word_count
