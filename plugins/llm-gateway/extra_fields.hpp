// `--config KEY=VALUE`: extra fields for the chat completion request body.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace llm {

/// Parses each KEY=VALUE into an object, later keys winning. VALUE is parsed as JSON when it is
/// valid JSON, and kept as a string otherwise. Throws aai::Error (exit 2) for an item without
/// "=" or with an empty key, and for the keys model, messages, stream and prompt, which other
/// options set.
nlohmann::json parse_extra_fields(const std::vector<std::string>& items);

}  // namespace llm
