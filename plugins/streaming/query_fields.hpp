// The Streaming v3 query parameters `aai stream` may set, and how each value is checked.
#pragma once

#include <string>
#include <vector>

namespace streaming {

/// Speech models the streaming service accepts; the first is the default.
const std::vector<std::string>& streaming_speech_models();

/// Every key --config accepts: the service's session parameters.
const std::vector<std::string>& config_keys();

/// Returns the allowed key nearest to `key` by edit distance.
std::string closest_config_key(const std::string& key);

/// Checks `value` for query parameter `field` and returns it as the query sends it: booleans
/// as true/false, numbers as typed, keyterms_prompt as a JSON array. `label` names where the
/// value came from in errors ("--max-speakers", "--config max_speakers"). Throws aai::Error
/// usage_error quoting the value.
std::string normalize_field(const std::string& field, const std::string& label,
                            const std::string& value);

}  // namespace streaming
