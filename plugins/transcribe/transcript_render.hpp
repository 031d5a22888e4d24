// Rendering a transcript object for `-o text|id|status|utterances|json` and the human view.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace transcribe {

/// Returns the transcript's text, or "" when it has none yet.
std::string render_text(const nlohmann::json& transcript);

/// Returns one `Speaker X: text` line per utterance, or the text when there are no utterances.
std::string render_utterances(const nlohmann::json& transcript);

/// Returns the default human view: the text (or speaker lines when diarised), then Summary,
/// Chapters, Sentiment and Entities sections when the transcript has them.
std::string render_human(const nlohmann::json& transcript);

/// Returns `ms` as MM:SS, or H:MM:SS from one hour on.
std::string format_timestamp(long long ms);

/// Renders `-o FORMAT` for every format except srt and vtt, which the service renders.
std::string render_field(const nlohmann::json& transcript, const std::string& format);

}  // namespace transcribe
