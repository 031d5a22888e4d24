#include "server/word_search.hpp"

#include <cctype>
#include <sstream>

namespace aai::local {

namespace {

std::vector<std::string> split_term(const std::string& term) {
  std::vector<std::string> parts;
  std::istringstream stream(term);
  std::string part;
  while (stream >> part) {
    std::string normalized = normalize_word(part);
    if (!normalized.empty()) {
      parts.push_back(normalized);
    }
  }
  return parts;
}

bool matches_at(const std::vector<std::string>& normalized_words, size_t index,
                const std::vector<std::string>& parts) {
  if (index + parts.size() > normalized_words.size()) {
    return false;
  }
  for (size_t i = 0; i < parts.size(); ++i) {
    if (normalized_words[index + i] != parts[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string normalize_word(const std::string& text) {
  std::string normalized;
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '\'' || byte >= 0x80) {
      normalized += static_cast<char>(std::tolower(byte));
    }
  }
  return normalized;
}

nlohmann::json search_words(const std::vector<Word>& words, const std::vector<std::string>& terms) {
  std::vector<std::string> normalized_words;
  for (const Word& word : words) {
    normalized_words.push_back(normalize_word(word.text));
  }

  nlohmann::json matches = nlohmann::json::array();
  for (const std::string& term : terms) {
    std::vector<std::string> parts = split_term(term);
    nlohmann::json timestamps = nlohmann::json::array();
    nlohmann::json indexes = nlohmann::json::array();
    for (size_t i = 0; !parts.empty() && i < words.size(); ++i) {
      if (matches_at(normalized_words, i, parts)) {
        timestamps.push_back({words[i].start_ms, words[i + parts.size() - 1].end_ms});
        indexes.push_back(i);
      }
    }
    matches.push_back({{"text", term},
                       {"count", indexes.size()},
                       {"timestamps", std::move(timestamps)},
                       {"indexes", std::move(indexes)}});
  }
  return matches;
}

}  // namespace aai::local
