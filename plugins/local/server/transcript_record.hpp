// A stored transcript: the published Transcript object plus what the emulator keeps beside it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/text_layout.hpp"

namespace aai::local {

struct TranscriptRecord {
  /// The published Transcript object, as GET /v2/transcript/{id} returns it.
  nlohmann::json transcript;

  /// Creation and completion times, UTC, as "YYYY-MM-DDTHH:MM:SS.ffffff".
  std::string created;
  std::optional<std::string> completed;

  /// Creation order, which breaks ties between equal `created` times.
  int64_t sequence = 0;

  /// Path of the uploaded audio the worker recognises; empty when there is none.
  std::string audio_file;

  /// Why the transcript ends in `error` without recognition; empty when it can be recognised.
  std::string intake_error;

  const std::string& id() const;
  std::string status() const;
};

nlohmann::json record_to_json(const TranscriptRecord& record);
TranscriptRecord record_from_json(const nlohmann::json& json);

/// Returns the current UTC time as "YYYY-MM-DDTHH:MM:SS.ffffff".
std::string utc_timestamp_now();

/// Builds a queued transcript with every published field: the request's options echoed (or their
/// defaults) and null for every result the emulator has not computed.
nlohmann::json new_transcript(const std::string& id, const nlohmann::json& params);

/// Fills the results of recognition into `transcript` and sets its status to completed.
/// `words` come straight from the recogniser and are formatted here as the request asked.
void complete_transcript(nlohmann::json& transcript, std::vector<Word> words,
                         double audio_duration_seconds);

/// Sets the status to error with `message`.
void fail_transcript(nlohmann::json& transcript, const std::string& message);

/// Returns the transcript as DELETE returns it: text replaced, words and utterances removed.
nlohmann::json deleted_transcript(nlohmann::json transcript);

/// Returns the list endpoint's item for `record`, with `resource_url` under `base_url`.
nlohmann::json list_item(const TranscriptRecord& record, const std::string& base_url);

}  // namespace aai::local
