// Named environments (sets of service endpoints) registered by plugins, and which one is active.
#pragma once

#include <deque>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace aai::host {

struct Environment {
  std::string name;
  std::string summary;
  std::string plugin_name;
  std::filesystem::path plugin_file;

  /// Fields in registration order: api_base, streaming_base, ...
  std::vector<std::pair<std::string, std::string>> fields;

  /// Returns the field's value, or nullptr when unset.
  const std::string* field(const std::string& field_name) const;
};

/// The active environment's name and where it came from: "--env", "--sandbox", "AAI_ENV",
/// "profile" or "default".
struct EnvironmentSelection {
  std::string name;
  std::string source;
};

/// Applies the precedence --env > --sandbox (sandbox000) > AAI_ENV > the profile's stored env >
/// `default_name` (the build's AAI_DEFAULT_ENV). Empty values count as unset.
EnvironmentSelection select_environment(const std::optional<std::string>& env_option,
                                        bool sandbox_option, const char* aai_env_variable,
                                        const std::optional<std::string>& profile_env,
                                        const std::string& default_name);

class EnvironmentRegistry {
 public:
  /// Adds an environment. Returns the existing one when the name is taken (the first stays),
  /// otherwise nullptr.
  const Environment* add(Environment environment);

  const Environment* find(const std::string& name) const;
  const std::deque<Environment>& all() const { return environments_; }

  /// Returns the environment, or throws CliError exit 2 `invalid_environment` listing the known
  /// names.
  const Environment& require(const std::string& name) const;

  /// Returns a JSON array of {"name","summary","plugin","fields":{...}} in registration order.
  std::string to_json() const;

 private:
  std::deque<Environment> environments_;
};

}  // namespace aai::host
