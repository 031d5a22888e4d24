// Words, sentences and paragraphs of a transcript, derived from the recogniser's timed words.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace aai::local {

/// One word of a transcript; times are milliseconds from the start of the audio.
struct Word {
  std::string text;
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  double confidence = 0.0;
  std::optional<std::string> speaker;
};

/// Silence between two words, in milliseconds, that starts a new sentence. PocketSphinx emits no
/// punctuation, so pauses are the only sentence boundary the emulator can see.
constexpr int64_t kSentencePauseMs = 700;

/// Silence between two words, in milliseconds, that starts a new paragraph.
constexpr int64_t kParagraphPauseMs = 2000;

/// Splits words into runs wherever the silence between two words is at least `min_pause_ms`.
std::vector<std::vector<Word>> split_on_pauses(const std::vector<Word>& words,
                                               int64_t min_pause_ms);

/// Formats words in place as a stand-in for the service's formatting: with `capitalize`, the
/// first word of every sentence and the pronoun "i" get a capital letter; with `punctuate`, the
/// last word of every sentence gets a period.
void format_words(std::vector<Word>& words, bool capitalize, bool punctuate);

/// Joins word texts with single spaces.
std::string join_text(const std::vector<Word>& words);

/// Returns the mean word confidence, or nullopt for no words.
std::optional<double> mean_confidence(const std::vector<Word>& words);

nlohmann::json word_to_json(const Word& word);
Word word_from_json(const nlohmann::json& json);
std::vector<Word> words_from_json(const nlohmann::json& array);

/// Returns the published shape of a sentence, paragraph or utterance: text, start, end,
/// confidence and words, plus `speaker` (and `channel` null) when `with_speaker` is set.
nlohmann::json segment_to_json(const std::vector<Word>& words, bool with_speaker);

}  // namespace aai::local
