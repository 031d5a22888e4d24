// The published transcript parameters (TranscriptParams of AssemblyAI's v2 API) and the
// coercion of --config / --config-file values to their JSON types.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace transcribe {

/// JSON type of one transcript parameter.
enum class ParamType {
  kBoolean,
  kInteger,
  kNumber,
  kString,
  /// A string from a fixed set (`allowed` lists it).
  kEnum,
  /// An array of strings; from text, comma-separated or a JSON array.
  kStringList,
  /// An array of strings from a fixed set.
  kEnumList,
  /// A JSON object, given as JSON text.
  kObject,
  /// A JSON array of objects, given as JSON text.
  kObjectList,
};

struct ParamSpec {
  const char* name;
  ParamType type;
  std::vector<std::string> allowed;
};

/// Returns every parameter `--config` accepts, sorted by name. `audio_url` is absent because
/// the SOURCE argument sets it.
const std::vector<ParamSpec>& transcript_params();

/// Returns the spec named `name`, or nullptr.
const ParamSpec* find_param(const std::string& name);

/// PII policy names the service accepts in redact_pii_policies.
const std::vector<std::string>& pii_policies();

/// Speech models `--speech-model` offers.
const std::vector<std::string>& speech_models();

/// Model sent as `speech_models` when no model is given in any form.
inline constexpr const char* kDefaultSpeechModel = "universal-3-5-pro";

/// Converts `text` to the parameter's JSON type. `origin` names where it came from
/// ("--config") for messages. Throws aai::Error with `error_type` (exit 2) when the key is
/// unknown or the value does not fit.
nlohmann::json coerce_param_text(const std::string& key, const std::string& text,
                                 const std::string& origin, const std::string& error_type);

/// Checks that a JSON value (from --config-file) has the parameter's type; throws like
/// coerce_param_text.
void check_param_json(const std::string& key, const nlohmann::json& value,
                      const std::string& origin, const std::string& error_type);

/// Returns the names of all parameters separated by ", ".
std::string param_names();

}  // namespace transcribe
