#include "server/turn_messages.hpp"

#include <cctype>
#include <cmath>

namespace aai::local {
namespace {

std::string capitalise(std::string word) {
  if (!word.empty()) {
    word.front() = static_cast<char>(std::toupper(static_cast<unsigned char>(word.front())));
  }
  return word;
}

// Rounds to three decimals so the JSON does not carry float noise like 0.8999999.
double rounded(double value) {
  return std::round(value * 1000.0) / 1000.0;
}

}  // namespace

nlohmann::json begin_message(const std::string& session_id, int64_t expires_at_unix_seconds) {
  return {{"type", "Begin"}, {"id", session_id}, {"expires_at", expires_at_unix_seconds}};
}

nlohmann::json turn_message(int64_t turn_order, const TurnUpdate& turn, bool formatted,
                            int64_t stable_until_ms, const std::optional<std::string>& speaker) {
  nlohmann::json words = nlohmann::json::array();
  std::string transcript;
  for (size_t i = 0; i < turn.words.size(); ++i) {
    const RecognizedWord& word = turn.words[i];
    const bool last = i + 1 == turn.words.size();
    std::string text = word.text;
    if (formatted && i == 0) {
      text = capitalise(text);
    }
    if (formatted && last) {
      text += '.';
    }
    const bool is_final = turn.end_of_turn || (!last && word.end_ms <= stable_until_ms);
    words.push_back({{"text", text},
                     {"start", word.start_ms},
                     {"end", word.end_ms},
                     {"confidence", rounded(word.confidence)},
                     {"word_is_final", is_final}});
    transcript += (transcript.empty() ? "" : " ") + text;
  }
  nlohmann::json message = {{"type", "Turn"},
                            {"turn_order", turn_order},
                            {"turn_is_formatted", formatted},
                            {"end_of_turn", turn.end_of_turn},
                            {"transcript", transcript},
                            {"utterance", turn.end_of_turn ? transcript : ""},
                            {"end_of_turn_confidence", rounded(turn.end_of_turn_confidence)},
                            {"words", std::move(words)}};
  if (speaker) {
    message["speaker_label"] = *speaker;
  }
  return message;
}

nlohmann::json termination_message(int64_t audio_duration_seconds,
                                   int64_t session_duration_seconds) {
  return {{"type", "Termination"},
          {"audio_duration_seconds", audio_duration_seconds},
          {"session_duration_seconds", session_duration_seconds}};
}

nlohmann::json error_message(int error_code, const std::string& error) {
  return {{"type", "Error"}, {"error_code", error_code}, {"error", error}};
}

std::string close_reason(const std::string& message) {
  if (message.size() <= kMaxCloseReasonBytes) {
    return message;
  }
  size_t cut = kMaxCloseReasonBytes;
  // Continuation bytes of a UTF-8 sequence start with the bits 10.
  while (cut > 0 && (static_cast<unsigned char>(message[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return message.substr(0, cut);
}

}  // namespace aai::local
