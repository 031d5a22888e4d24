#include "server/text_layout.hpp"

#include <cctype>
#include <numeric>

namespace aai::local {

std::vector<std::vector<Word>> split_on_pauses(const std::vector<Word>& words,
                                               int64_t min_pause_ms) {
  std::vector<std::vector<Word>> runs;
  for (const Word& word : words) {
    bool starts_run = runs.empty() || word.start_ms - runs.back().back().end_ms >= min_pause_ms;
    if (starts_run) {
      runs.emplace_back();
    }
    runs.back().push_back(word);
  }
  return runs;
}

void format_words(std::vector<Word>& words, bool capitalize, bool punctuate) {
  for (size_t i = 0; i < words.size(); ++i) {
    bool starts_sentence = i == 0 || words[i].start_ms - words[i - 1].end_ms >= kSentencePauseMs;
    bool ends_sentence =
        i + 1 == words.size() || words[i + 1].start_ms - words[i].end_ms >= kSentencePauseMs;
    std::string& text = words[i].text;
    if (text.empty()) {
      continue;
    }
    if (capitalize && (starts_sentence || text == "i" || text.rfind("i'", 0) == 0)) {
      text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
    }
    if (punctuate && ends_sentence && text.back() != '.') {
      text += '.';
    }
  }
}

std::string join_text(const std::vector<Word>& words) {
  std::string text;
  for (const Word& word : words) {
    if (!text.empty()) {
      text += ' ';
    }
    text += word.text;
  }
  return text;
}

std::optional<double> mean_confidence(const std::vector<Word>& words) {
  if (words.empty()) {
    return std::nullopt;
  }
  double sum = std::accumulate(words.begin(), words.end(), 0.0, [](double total, const Word& word) {
    return total + word.confidence;
  });
  return sum / static_cast<double>(words.size());
}

nlohmann::json word_to_json(const Word& word) {
  return {{"text", word.text},
          {"start", word.start_ms},
          {"end", word.end_ms},
          {"confidence", word.confidence},
          {"channel", nullptr},
          {"speaker", word.speaker ? nlohmann::json(*word.speaker) : nlohmann::json(nullptr)}};
}

Word word_from_json(const nlohmann::json& json) {
  Word word;
  word.text = json.at("text").get<std::string>();
  word.start_ms = json.at("start").get<int64_t>();
  word.end_ms = json.at("end").get<int64_t>();
  word.confidence = json.at("confidence").get<double>();
  if (json.contains("speaker") && json["speaker"].is_string()) {
    word.speaker = json["speaker"].get<std::string>();
  }
  return word;
}

std::vector<Word> words_from_json(const nlohmann::json& array) {
  std::vector<Word> words;
  if (!array.is_array()) {
    return words;
  }
  for (const auto& item : array) {
    words.push_back(word_from_json(item));
  }
  return words;
}

nlohmann::json segment_to_json(const std::vector<Word>& words, bool with_speaker) {
  nlohmann::json word_array = nlohmann::json::array();
  for (const Word& word : words) {
    word_array.push_back(word_to_json(word));
  }
  auto confidence = mean_confidence(words);
  nlohmann::json segment = {{"text", join_text(words)},
                            {"start", words.empty() ? 0 : words.front().start_ms},
                            {"end", words.empty() ? 0 : words.back().end_ms},
                            {"confidence", confidence.value_or(0.0)},
                            {"words", std::move(word_array)}};
  if (with_speaker) {
    const Word* first = words.empty() ? nullptr : &words.front();
    segment["speaker"] = first != nullptr && first->speaker ? nlohmann::json(*first->speaker)
                                                            : nlohmann::json(nullptr);
    segment["channel"] = nullptr;
  }
  return segment;
}

}  // namespace aai::local
