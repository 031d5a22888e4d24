// Building the body of POST /v2/transcript from --config-file, --config and the named flags.
#pragma once

#include <aai/plugin.hpp>

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace transcribe {

/// Reads --config-file: a JSON object of transcript parameters. Throws aai::Error
/// invalid_config (exit 2) when the file is missing, is not JSON or holds an unknown field or a
/// value of the wrong type.
nlohmann::json read_config_file(const std::string& path);

/// Turns each `KEY=VALUE` of --config into a member with the parameter's type. Throws aai::Error
/// usage_error (exit 2) for a missing `=`, an unknown key or a value that does not fit.
nlohmann::json parse_config_pairs(const std::vector<std::string>& pairs);

/// Returns the parameters set by the named flags (--speaker-labels, --webhook-url, ...),
/// validated on their own: conflicts, ranges and PII policy names. Throws aai::Error usage_error.
nlohmann::json named_flag_params(const aai::Invocation& invocation);

/// Merges the three layers (later wins), checks the rules that span them, adds the default
/// speech model when no model is given in any form, and sets audio_url.
nlohmann::json build_transcript_request(const nlohmann::json& config_file,
                                        const nlohmann::json& config_pairs,
                                        const nlohmann::json& named_flags,
                                        const std::string& audio_url);

/// Reads all three layers from the invocation; the body still lacks audio_url.
nlohmann::json transcript_params_from(const aai::Invocation& invocation);

}  // namespace transcribe
