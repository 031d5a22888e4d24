#include "server/streaming_params.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include "server/streaming_tokens.hpp"

namespace aai::local {
namespace {

constexpr std::array<const char*, 5> kSpeechModels = {
    "universal-streaming-english", "universal-streaming-multilingual", "whisper-rt", "u3-rt-pro",
    "universal-3-5-pro"};
constexpr int64_t kMaxTurnSilenceMs = 60000;

// A parameter with a bad value: `prefix` names where it came from.
[[noreturn]] void reject(const std::string& prefix, const std::string& name,
                         const std::string& why) {
  throw InvalidStreamingParameter(prefix + name + ": " + why);
}

int64_t integer_between(const std::string& prefix, const std::string& name, const std::string& text,
                        int64_t low, int64_t high) {
  std::optional<int64_t> value = parse_integer(text);
  if (!value || *value < low || *value > high) {
    reject(prefix, name,
           "must be an integer between " + std::to_string(low) + " and " + std::to_string(high));
  }
  return *value;
}

double fraction(const std::string& prefix, const std::string& name, const std::string& text) {
  double value = 0.0;
  const char* end = text.data() + text.size();
  auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end || !std::isfinite(value) || value < 0.0 ||
      value > 1.0) {
    reject(prefix, name, "must be a number between 0 and 1");
  }
  return value;
}

bool boolean(const std::string& prefix, const std::string& name, const std::string& text) {
  if (text != "true" && text != "false") {
    reject(prefix, name, "must be true or false");
  }
  return text == "true";
}

std::vector<std::string> keyterm_list(const std::string& prefix, const std::string& text) {
  nlohmann::json parsed = nlohmann::json::parse(text, nullptr, false);
  bool valid = parsed.is_array();
  for (const auto& item : parsed) {
    valid = valid && item.is_string();
  }
  if (!valid) {
    reject(prefix, "keyterms_prompt", "must be a JSON array of strings");
  }
  return parsed.get<std::vector<std::string>>();
}

// Sets one of the three turn settings shared by the query and UpdateConfiguration; returns
// false when `name` is none of them.
bool set_turn_setting(const std::string& prefix, const std::string& name, const std::string& text,
                      TurnSettings& settings) {
  if (name == "end_of_turn_confidence_threshold") {
    settings.end_of_turn_confidence_threshold = fraction(prefix, name, text);
  } else if (name == "min_turn_silence") {
    settings.min_turn_silence_ms = integer_between(prefix, name, text, 0, kMaxTurnSilenceMs);
  } else if (name == "max_turn_silence") {
    settings.max_turn_silence_ms = integer_between(prefix, name, text, 0, kMaxTurnSilenceMs);
  } else {
    return false;
  }
  return true;
}

void check_silence_order(const std::string& prefix, const TurnSettings& settings) {
  if (settings.min_turn_silence_ms > settings.max_turn_silence_ms) {
    reject(prefix, "min_turn_silence",
           "must not be greater than max_turn_silence (" +
               std::to_string(settings.max_turn_silence_ms) + ")");
  }
}

void set_query_parameter(const std::string& name, const std::string& text,
                         StreamingParams& params) {
  const std::string prefix = "Invalid Query Parameter: ";
  if (set_turn_setting(prefix, name, text, params.turn_settings)) {
    return;
  }
  if (name == "sample_rate") {
    params.sample_rate = static_cast<int>(integer_between(prefix, name, text, 8000, 48000));
  } else if (name == "encoding") {
    if (text != "pcm_s16le" && text != "pcm_mulaw") {
      reject(prefix, name, "must be pcm_s16le or pcm_mulaw");
    }
    params.mulaw = text == "pcm_mulaw";
  } else if (name == "speech_model") {
    if (std::find(kSpeechModels.begin(), kSpeechModels.end(), text) == kSpeechModels.end()) {
      std::string choices;
      for (const char* model : kSpeechModels) {
        choices += (choices.empty() ? "" : ", ") + std::string(model);
      }
      reject(prefix, name, "must be one of " + choices);
    }
    params.speech_model = text;
  } else if (name == "format_turns") {
    params.format_turns = boolean(prefix, name, text);
  } else if (name == "vad_threshold") {
    params.turn_settings.vad_threshold = fraction(prefix, name, text);
  } else if (name == "keyterms_prompt") {
    params.keyterms = keyterm_list(prefix, text);
  } else if (name == "speaker_labels") {
    params.speaker_labels = boolean(prefix, name, text);
  } else if (name == "max_speakers") {
    params.max_speakers = integer_between(prefix, name, text, 1, 10);
  } else if (name == "inactivity_timeout") {
    params.inactivity_timeout_seconds = integer_between(prefix, name, text, 5, 3600);
  } else if (name == "language_detection") {
    params.language_detection = boolean(prefix, name, text);
  }
}

}  // namespace

StreamingParams parse_streaming_params(const std::map<std::string, std::string>& query) {
  StreamingParams params;
  for (const auto& [name, text] : query) {
    set_query_parameter(name, text, params);
  }
  check_silence_order("Invalid Query Parameter: ", params.turn_settings);
  return params;
}

void apply_turn_update(const nlohmann::json& message, TurnSettings& settings) {
  const std::string prefix = "Invalid Message: UpdateConfiguration: ";
  TurnSettings updated = settings;
  for (const auto& [name, value] : message.items()) {
    // A JSON number prints as the text the query parser reads, so both share one validation.
    const std::string text = value.is_number() ? value.dump() : "";
    if (name != "type") {
      set_turn_setting(prefix, name, text, updated);
    }
  }
  check_silence_order(prefix, updated);
  settings = updated;
}

}  // namespace aai::local
