#include "server/transcript_exports.hpp"

#include <sstream>

#include "server/captions.hpp"
#include "server/text_layout.hpp"
#include "server/word_search.hpp"

namespace aai::local {

namespace {

constexpr size_t kMaxWordsPerSearchTerm = 5;

nlohmann::json segments_response(const TranscriptRecord& record, const char* key,
                                 int64_t min_pause_ms) {
  const nlohmann::json& transcript = record.transcript;
  std::vector<Word> words = words_from_json(transcript.value("words", nlohmann::json()));
  nlohmann::json segments = nlohmann::json::array();
  // Paragraphs carry no speaker in the published shape, sentences do.
  bool with_speaker = std::string(key) == "sentences";
  for (const auto& run : split_on_pauses(words, min_pause_ms)) {
    segments.push_back(segment_to_json(run, with_speaker));
  }
  return {{"id", record.id()},
          {"confidence", transcript.value("confidence", nlohmann::json(0.0)).is_number()
                             ? transcript["confidence"]
                             : nlohmann::json(0.0)},
          {"audio_duration", transcript.value("audio_duration", nlohmann::json(0))},
          {key, std::move(segments)}};
}

ApiResponse subtitles(const TranscriptRecord& record, const std::string& format,
                      const QueryParameters& query) {
  std::optional<int64_t> chars_per_caption;
  if (auto found = query.find("chars_per_caption"); found != query.end()) {
    size_t used = 0;
    int64_t value = 0;
    try {
      value = std::stoll(found->second, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != found->second.size() || value < 1) {
      return error_response(
          400, "chars_per_caption must be a positive integer, not \"" + found->second + "\".");
    }
    chars_per_caption = value;
  }
  auto captions = build_captions(
      words_from_json(record.transcript.value("words", nlohmann::json())), chars_per_caption);
  std::string body = format == "srt" ? render_srt(captions) : render_vtt(captions);
  return {200, "text/plain; charset=utf-8", std::move(body), {}};
}

ApiResponse word_search(const TranscriptRecord& record, const QueryParameters& query) {
  auto found = query.find("words");
  if (found == query.end() || found->second.empty()) {
    return error_response(400, "The words query parameter is required, as a comma-separated list.");
  }
  std::vector<std::string> terms;
  std::istringstream stream(found->second);
  std::string term;
  while (std::getline(stream, term, ',')) {
    std::istringstream term_stream(term);
    size_t word_count = 0;
    for (std::string part; term_stream >> part;) {
      ++word_count;
    }
    if (word_count > kMaxWordsPerSearchTerm) {
      return error_response(400, "Search term \"" + term + "\" has more than five words.");
    }
    if (word_count > 0) {
      terms.push_back(term);
    }
  }
  nlohmann::json matches =
      search_words(words_from_json(record.transcript.value("words", nlohmann::json())), terms);
  size_t total = 0;
  for (const auto& match : matches) {
    total += match["count"].get<size_t>();
  }
  return json_response(200, {{"id", record.id()}, {"total_count", total}, {"matches", matches}});
}

std::string view_noun(const std::string& view) {
  if (view == "srt") {
    return "SRT subtitles";
  }
  if (view == "vtt") {
    return "WebVTT subtitles";
  }
  if (view == "word-search") {
    return "words to search";
  }
  return view;
}

}  // namespace

std::optional<ApiResponse> export_transcript(const TranscriptRecord& record,
                                             const std::string& view,
                                             const QueryParameters& query) {
  if (view != "srt" && view != "vtt" && view != "sentences" && view != "paragraphs" &&
      view != "word-search") {
    return std::nullopt;
  }
  if (record.status() != "completed") {
    return error_response(400, "Transcript " + record.id() + " has status \"" + record.status() +
                                   "\", and only completed transcripts have " + view_noun(view) +
                                   ".");
  }
  if (view == "srt" || view == "vtt") {
    return subtitles(record, view, query);
  }
  if (view == "word-search") {
    return word_search(record, query);
  }
  if (view == "sentences") {
    return json_response(200, segments_response(record, "sentences", kSentencePauseMs));
  }
  return json_response(200, segments_response(record, "paragraphs", kParagraphPauseMs));
}

}  // namespace aai::local
