// The JSON messages that a /v3/ws session sends, in the service's Streaming v3 shapes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <aai_local/streaming_recognizer.hpp>
#include <nlohmann/json.hpp>

namespace aai::local {

/// Longest close reason in bytes: a close frame's payload is at most 125 bytes, 2 of them the
/// code (RFC 6455, section 5.5).
inline constexpr size_t kMaxCloseReasonBytes = 123;

nlohmann::json begin_message(const std::string& session_id, int64_t expires_at_unix_seconds);

/// Builds a Turn message. `formatted` capitalises the first word and ends the last with a
/// period. In a partial, words that end later than `stable_until_ms` (ms from the start of the
/// stream), and always the last word, have word_is_final false. `speaker` adds speaker_label.
nlohmann::json turn_message(int64_t turn_order, const TurnUpdate& turn, bool formatted,
                            int64_t stable_until_ms, const std::optional<std::string>& speaker);

nlohmann::json termination_message(int64_t audio_duration_seconds,
                                   int64_t session_duration_seconds);

nlohmann::json error_message(int error_code, const std::string& error);

/// Returns `message` cut to kMaxCloseReasonBytes on a UTF-8 character boundary.
std::string close_reason(const std::string& message);

}  // namespace aai::local
