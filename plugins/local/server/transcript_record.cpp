#include "server/transcript_record.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "server/transcript_params.hpp"

namespace aai::local {

const std::string& TranscriptRecord::id() const {
  return transcript.at("id").get_ref<const std::string&>();
}

std::string TranscriptRecord::status() const {
  return transcript.value("status", "");
}

nlohmann::json record_to_json(const TranscriptRecord& record) {
  return {{"transcript", record.transcript},
          {"created", record.created},
          {"completed", record.completed ? nlohmann::json(*record.completed) : nullptr},
          {"sequence", record.sequence},
          {"audio_file", record.audio_file},
          {"intake_error", record.intake_error}};
}

TranscriptRecord record_from_json(const nlohmann::json& json) {
  TranscriptRecord record;
  record.transcript = json.at("transcript");
  record.created = json.at("created").get<std::string>();
  if (json.contains("completed") && json["completed"].is_string()) {
    record.completed = json["completed"].get<std::string>();
  }
  record.sequence = json.at("sequence").get<int64_t>();
  record.audio_file = json.value("audio_file", "");
  record.intake_error = json.value("intake_error", "");
  return record;
}

std::string utc_timestamp_now() {
  auto now = std::chrono::system_clock::now();
  auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() %
      1'000'000;
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[40];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
  char with_fraction[48];
  std::snprintf(with_fraction, sizeof with_fraction, "%s.%06lld", buffer,
                static_cast<long long>(micros));
  return with_fraction;
}

nlohmann::json new_transcript(const std::string& id, const nlohmann::json& params) {
  nlohmann::json transcript = echoed_params(params);
  transcript["id"] = id;
  transcript["status"] = "queued";
  transcript["language_model"] = "assemblyai_default";
  transcript["acoustic_model"] = "assemblyai_default";
  transcript["webhook_auth"] =
      params.contains("webhook_auth_header_name") && params["webhook_auth_header_name"].is_string();
  // The header value is a secret the service never returns, so it is not echoed.
  transcript.erase("webhook_auth_header_value");
  for (const char* result :
       {"audio_channels", "audio_duration", "auto_highlights_result", "chapters", "confidence",
        "content_safety_labels", "entities", "iab_categories_result", "language_confidence",
        "sentiment_analysis_results", "speech_model_used", "speed_boost", "summary", "text",
        "throttled", "translated_texts", "utterances", "webhook_status_code", "words"}) {
    transcript[result] = nullptr;
  }
  return transcript;
}

namespace {

bool is_not_false(const nlohmann::json& transcript, const char* field) {
  return !(transcript.contains(field) && transcript[field].is_boolean() &&
           !transcript[field].get<bool>());
}

// Keeps only words inside the audio_start_from..audio_end_at window the request set.
std::vector<Word> clip_words(std::vector<Word> words, const nlohmann::json& transcript) {
  int64_t from = transcript.value("audio_start_from", nlohmann::json()).is_number_integer()
                     ? transcript["audio_start_from"].get<int64_t>()
                     : 0;
  bool has_end = transcript.value("audio_end_at", nlohmann::json()).is_number_integer();
  int64_t end_at = has_end ? transcript["audio_end_at"].get<int64_t>() : 0;
  std::vector<Word> kept;
  for (Word& word : words) {
    if (word.start_ms >= from && (!has_end || word.end_ms <= end_at)) {
      kept.push_back(std::move(word));
    }
  }
  return kept;
}

nlohmann::json utterances_json(const std::vector<Word>& words) {
  nlohmann::json utterances = nlohmann::json::array();
  for (const auto& paragraph : split_on_pauses(words, kParagraphPauseMs)) {
    utterances.push_back(segment_to_json(paragraph, true));
  }
  return utterances;
}

}  // namespace

void complete_transcript(nlohmann::json& transcript, std::vector<Word> words,
                         double audio_duration_seconds) {
  words = clip_words(std::move(words), transcript);
  format_words(words, is_not_false(transcript, "format_text"),
               is_not_false(transcript, "punctuate"));

  // PocketSphinx does no diarisation, so with speaker_labels every word is speaker "A".
  static const std::string kOnlySpeaker = "A";
  bool speaker_labels = transcript.value("speaker_labels", false);
  nlohmann::json word_array = nlohmann::json::array();
  for (Word& word : words) {
    if (speaker_labels) {
      word.speaker = kOnlySpeaker;
    }
    word_array.push_back(word_to_json(word));
  }

  auto confidence = mean_confidence(words);
  transcript["status"] = "completed";
  transcript["text"] = join_text(words);
  transcript["words"] = std::move(word_array);
  transcript["confidence"] = confidence ? nlohmann::json(*confidence) : nullptr;
  transcript["audio_duration"] = static_cast<int64_t>(std::llround(audio_duration_seconds));
  transcript["utterances"] = speaker_labels ? utterances_json(words) : nlohmann::json(nullptr);
}

void fail_transcript(nlohmann::json& transcript, const std::string& message) {
  transcript["status"] = "error";
  transcript["error"] = message;
}

nlohmann::json deleted_transcript(nlohmann::json transcript) {
  transcript["text"] = "Deleted by user.";
  transcript["audio_url"] = "http://deleted_by_user";
  transcript["words"] = nullptr;
  transcript["utterances"] = nullptr;
  return transcript;
}

nlohmann::json list_item(const TranscriptRecord& record, const std::string& base_url) {
  const nlohmann::json& transcript = record.transcript;
  return {{"id", record.id()},
          {"resource_url", base_url + "/v2/transcript/" + record.id()},
          {"status", record.status()},
          {"created", record.created},
          {"completed", record.completed ? nlohmann::json(*record.completed) : nullptr},
          {"audio_url", transcript.value("audio_url", "")},
          {"error", transcript.contains("error") ? transcript["error"] : nlohmann::json(nullptr)}};
}

}  // namespace aai::local
