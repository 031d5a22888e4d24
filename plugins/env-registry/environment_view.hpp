// Rendering of `aai env list` and `aai env show` from the host's environment list.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace env_registry {

/// Renders the list as an aligned table (marker, NAME, API BASE, PLUGIN, SUMMARY) with a `*`
/// in the first column of the active environment. `environments` is the host's list_json array.
std::string render_environment_table(const nlohmann::json& environments,
                                     const std::string& active_name);

/// Returns the entry named `name`; throws aai::Error invalid_environment (exit 2) listing the
/// known names when there is none.
const nlohmann::json& find_environment(const nlohmann::json& environments, const std::string& name);

/// Builds the `env show --json` object: name, source, active, plugin, origin, summary and
/// fields.
nlohmann::json environment_details_json(const nlohmann::json& environment,
                                        const std::string& source, bool is_active);

/// Renders `env show` for people: one `key: value` line per member, fields indented.
std::string render_environment_details(const nlohmann::json& details);

}  // namespace env_registry
