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

  /// The source that defined the environment ("built-in", "/etc/aai/environments.d/acme.ini"),
  /// or "plugin NAME" when the plugin gave none.
  std::string origin;

  /// Whether another plugin's environment of the same name takes precedence over this one.
  bool replaceable = false;

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

/// The outcome of EnvironmentRegistry::add for one environment.
struct EnvironmentAddResult {
  enum class Outcome {
    /// The name was new.
    kAdded,
    /// The earlier environment was replaceable, so the new one took its place.
    kReplaced,
    /// The new environment was replaceable and the earlier one is not, so the earlier one stays.
    kKeptEarlier,
    /// Neither is replaceable: the earlier one stays, and the caller reports the conflict.
    kConflict,
  };

  Outcome outcome = Outcome::kAdded;

  /// A copy of the environment registered earlier under the same name; unset for kAdded.
  std::optional<Environment> earlier;
};

class EnvironmentRegistry {
 public:
  /// Adds an environment. When the name is already registered, the environment that is not
  /// replaceable stays. When both are replaceable, or only the earlier one is, the new one takes
  /// the earlier one's place in the order.
  EnvironmentAddResult add(Environment environment);

  const Environment* find(const std::string& name) const;
  const std::deque<Environment>& all() const { return environments_; }

  /// Returns the environment, or throws CliError exit 2 `invalid_environment` listing the known
  /// names.
  const Environment& require(const std::string& name) const;

  /// Returns a JSON array of {"name","summary","plugin","origin","fields":{...}} in registration
  /// order.
  std::string to_json() const;

 private:
  std::deque<Environment> environments_;
};

}  // namespace aai::host
