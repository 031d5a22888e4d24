// Validation of the JSON body of POST /v2/transcript against the published TranscriptParams.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace aai::local {

/// Speech model names the emulator accepts in speech_model and speech_models. Whichever is
/// requested, the emulator recognises with PocketSphinx.
const std::vector<std::string>& known_speech_models();

/// Returns the reason `body` is not a valid transcript request, or nullopt when it is valid.
std::optional<std::string> validate_transcript_params(const nlohmann::json& body);

/// Returns every request field with the value the request gives, or the published default
/// (null where the service has none), for echoing in the transcript.
nlohmann::json echoed_params(const nlohmann::json& body);

}  // namespace aai::local
