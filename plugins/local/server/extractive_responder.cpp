#include "server/extractive_responder.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <unordered_set>

namespace aai::local {

namespace {

// Common English function words, and the words prompts use to give instructions ("list the
// items", "summarize the points"), which name the task rather than the topic.
const std::unordered_set<std::string> kStopWords = {
    "a",         "about",     "above",   "after",   "again",      "all",   "also",    "am",
    "an",        "and",       "any",     "are",     "as",         "at",    "be",      "been",
    "before",    "being",     "below",   "between", "both",       "brief", "briefly", "bullet",
    "but",       "by",        "can",     "could",   "describe",   "did",   "do",      "does",
    "doing",     "down",      "during",  "each",    "explain",    "few",   "find",    "for",
    "from",      "further",   "give",    "had",     "has",        "have",  "having",  "he",
    "her",       "here",      "hers",    "him",     "his",        "how",   "i",       "if",
    "in",        "into",      "is",      "it",      "its",        "item",  "just",    "key",
    "list",      "main",      "me",      "mention", "more",       "most",  "my",      "no",
    "nor",       "not",       "now",     "of",      "off",        "on",    "once",    "only",
    "or",        "other",     "our",     "ours",    "out",        "over",  "own",     "please",
    "point",     "same",      "say",     "she",     "should",     "so",    "some",    "such",
    "summarise", "summarize", "summary", "tell",    "text",       "than",  "that",    "the",
    "their",     "theirs",    "them",    "then",    "there",      "these", "they",    "this",
    "those",     "through",   "to",      "too",     "transcript", "under", "until",   "up",
    "very",      "was",       "we",      "were",    "what",       "when",  "where",   "which",
    "while",     "who",       "whom",    "why",     "will",       "with",  "would",   "write",
    "you",       "your",      "yours"};

const std::set<std::string> kListWords = {"list", "item", "bullet", "point"};

// How many of the material's most frequent content words count for a summary.
constexpr size_t kFrequentWordCount = 10;

bool is_word_byte(char c) {
  auto byte = static_cast<unsigned char>(c);
  return std::isalnum(byte) != 0 || byte >= 0x80 || c == '\'';
}

std::string stem(std::string word) {
  auto ends_with = [&word](std::string_view suffix) {
    return word.size() >= suffix.size() &&
           word.compare(word.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (word.size() > 3 && ends_with("s") && !ends_with("ss")) {
    word.resize(word.size() - 1);
  }
  if (word.size() > 5 && ends_with("ing")) {
    word.resize(word.size() - 3);
  } else if (word.size() > 4 && ends_with("ed")) {
    word.resize(word.size() - 2);
  }
  return word;
}

// Returns the lower-cased words of `text`, without surrounding apostrophes or a possessive 's.
std::vector<std::string> lower_words(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  auto finish = [&words, &word] {
    if (word.size() > 2 && word.compare(word.size() - 2, 2, "'s") == 0) {
      word.resize(word.size() - 2);
    }
    size_t first = word.find_first_not_of('\'');
    size_t last = word.find_last_not_of('\'');
    if (first != std::string::npos) {
      words.push_back(word.substr(first, last - first + 1));
    }
    word.clear();
  };
  for (char c : text) {
    if (is_word_byte(c)) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      finish();
    }
  }
  finish();
  return words;
}

bool is_file_header(std::string_view line) {
  return line.size() >= 10 && line.substr(0, 5) == "=====" &&
         line.substr(line.size() - 5) == "=====";
}

std::string_view trim(std::string_view text) {
  size_t first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) {
    return {};
  }
  size_t last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

void split_line(std::string_view line, std::vector<std::string>& sentences) {
  size_t start = 0;
  for (size_t i = 0; i + 1 < line.size(); ++i) {
    bool ends_sentence = (line[i] == '.' || line[i] == '!' || line[i] == '?') &&
                         (line[i + 1] == ' ' || line[i + 1] == '\t');
    if (ends_sentence) {
      std::string_view sentence = trim(line.substr(start, i + 1 - start));
      if (!sentence.empty()) {
        sentences.emplace_back(sentence);
      }
      start = i + 1;
    }
  }
  std::string_view rest = trim(line.substr(start));
  if (!rest.empty()) {
    sentences.emplace_back(rest);
  }
}

// Returns the material's most frequent content words that occur at least twice.
std::set<std::string> frequent_words(const std::vector<std::string>& sentences) {
  std::map<std::string, std::pair<size_t, size_t>> counts;  // word -> (count, first position)
  size_t position = 0;
  for (const std::string& sentence : sentences) {
    for (std::string& word : content_words(sentence)) {
      auto [entry, added] = counts.try_emplace(std::move(word), 0, position++);
      ++entry->second.first;
    }
  }
  std::vector<std::pair<std::string, std::pair<size_t, size_t>>> ranked(counts.begin(),
                                                                        counts.end());
  std::sort(ranked.begin(), ranked.end(), [](const auto& left, const auto& right) {
    if (left.second.first != right.second.first) {
      return left.second.first > right.second.first;
    }
    return left.second.second < right.second.second;
  });
  std::set<std::string> frequent;
  for (const auto& [word, count_and_position] : ranked) {
    if (frequent.size() == kFrequentWordCount || count_and_position.first < 2) {
      break;
    }
    frequent.insert(word);
  }
  return frequent;
}

bool asks_for_summary(std::string_view prompt) {
  for (const std::string& word : lower_words(prompt)) {
    if (word.rfind("summar", 0) == 0 || word == "recap" || word == "overview" || word == "tldr") {
      return true;
    }
  }
  return false;
}

bool asks_for_list(std::string_view prompt) {
  for (const std::string& word : lower_words(prompt)) {
    if (kListWords.count(stem(word)) != 0) {
      return true;
    }
  }
  return false;
}

size_t count_present(const std::set<std::string>& wanted, const std::vector<std::string>& words) {
  std::set<std::string> present;
  for (const std::string& word : words) {
    if (wanted.count(word) != 0) {
      present.insert(word);
    }
  }
  return present.size();
}

// Returns the indexes of the sentences to quote, in their original order.
std::vector<size_t> pick_sentences(const std::vector<std::string>& sentences,
                                   std::string_view prompt) {
  std::vector<std::string> prompt_list = content_words(prompt);
  const std::set<std::string> prompt_words(prompt_list.begin(), prompt_list.end());
  const std::set<std::string> frequent =
      asks_for_summary(prompt) ? frequent_words(sentences) : std::set<std::string>{};
  std::vector<std::pair<size_t, size_t>> scored;  // (score, index)
  for (size_t i = 0; i < sentences.size(); ++i) {
    std::vector<std::string> words = content_words(sentences[i]);
    scored.emplace_back(count_present(prompt_words, words) + count_present(frequent, words), i);
  }
  // A stable sort by falling score keeps the earlier of two equal sentences first.
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& left, const auto& right) { return left.first > right.first; });
  // Sentences that match nothing are quoted only when no sentence matches; then the stable sort
  // has kept the first ones first.
  const bool any_match = !scored.empty() && scored.front().first > 0;
  std::vector<size_t> picked;
  for (size_t i = 0; i < scored.size() && picked.size() < kMaxQuotedSentences; ++i) {
    if (any_match && scored[i].first == 0) {
      break;
    }
    picked.push_back(scored[i].second);
  }
  std::sort(picked.begin(), picked.end());
  return picked;
}

}  // namespace

std::vector<std::string> content_words(std::string_view text) {
  std::vector<std::string> words;
  for (std::string& word : lower_words(text)) {
    if (kStopWords.count(word) != 0) {
      continue;
    }
    std::string stemmed = stem(std::move(word));
    if (kStopWords.count(stemmed) == 0) {
      words.push_back(std::move(stemmed));
    }
  }
  return words;
}

std::vector<std::string> split_sentences(std::string_view text) {
  std::vector<std::string> sentences;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = trim(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (!line.empty() && !is_file_header(line)) {
      split_line(line, sentences);
    }
  }
  return sentences;
}

std::string extractive_answer(std::string_view input) {
  size_t blank_line = input.find("\n\n");
  std::string_view prompt = input.substr(0, blank_line);
  std::string_view material =
      blank_line == std::string_view::npos ? std::string_view() : input.substr(blank_line + 2);
  constexpr std::string_view kTranscriptLabel = "Transcript:\n";
  if (material.substr(0, kTranscriptLabel.size()) == kTranscriptLabel) {
    material.remove_prefix(kTranscriptLabel.size());
  }
  std::vector<std::string> sentences = split_sentences(material);
  if (sentences.empty()) {
    return kNoMaterialAnswer;
  }

  const bool as_list = asks_for_list(prompt);
  std::string answer;
  for (size_t index : pick_sentences(sentences, prompt)) {
    if (!answer.empty()) {
      answer += as_list ? "\n" : " ";
    }
    answer += (as_list ? "- " : "") + sentences[index];
  }
  return answer;
}

}  // namespace aai::local
