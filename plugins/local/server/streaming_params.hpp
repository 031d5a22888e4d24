// Query parameters of a /v3/ws session and the turn settings of UpdateConfiguration messages.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <aai_local/streaming_recognizer.hpp>
#include <nlohmann/json.hpp>

namespace aai::local {

/// A bad parameter value. what() is the message of the session's Error message, for example
/// "Invalid Query Parameter: sample_rate: must be an integer between 8000 and 48000".
class InvalidStreamingParameter : public std::runtime_error {
  using runtime_error::runtime_error;
};

struct StreamingParams {
  int sample_rate = 16000;
  /// True for pcm_mulaw (G.711 mu-law, one byte per sample), false for pcm_s16le.
  bool mulaw = false;
  std::string speech_model = "universal-streaming-english";
  bool format_turns = false;
  TurnSettings turn_settings;
  bool speaker_labels = false;
  std::optional<int64_t> max_speakers;
  std::optional<int64_t> inactivity_timeout_seconds;
  bool language_detection = false;
  std::vector<std::string> keyterms;

  int bytes_per_sample() const { return mulaw ? 1 : 2; }
};

/// Validates the query of a /v3/ws upgrade. Unknown names are ignored, as the service does, so
/// newer clients still connect. Throws InvalidStreamingParameter for the first bad value.
StreamingParams parse_streaming_params(const std::map<std::string, std::string>& query);

/// Applies the turn settings of an UpdateConfiguration message (end_of_turn_confidence_threshold,
/// min_turn_silence, max_turn_silence; other fields are ignored) to `settings`. Throws
/// InvalidStreamingParameter with "Invalid Message: UpdateConfiguration: NAME: WHY".
void apply_turn_update(const nlohmann::json& message, TurnSettings& settings);

}  // namespace aai::local
