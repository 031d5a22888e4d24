// The administrator's plugin policy: ${AAI_SYSTEM_CONFIG_DIR:-/etc/aai}/plugins.ini lists the
// plugins that may load, by manifest name or by the SHA-256 of the file.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace aai::host {

/// The allow lists of a policy file whose [policy] section sets allow or allow_sha256.
struct PluginPolicy {
  /// Author of the policy, such as "IT Operations <it@example.com>", or empty.
  std::string set_by;
  /// Plugin names, matched against the name in a plugin's manifest.
  std::vector<std::string> allowed_names;
  /// File digests, 64 lower-case hexadecimal digits each.
  std::vector<std::string> allowed_sha256;
};

/// Result of reading the policy file.
struct PolicyReading {
  enum class State {
    /// No policy file, or one that sets neither allow nor allow_sha256: every plugin may load.
    none,
    /// `policy` is in force.
    in_force,
    /// The file exists but could not be read or parsed. `problem` contains the reason.
    invalid,
  };

  State state = State::none;
  /// The policy file, whether or not it exists.
  std::filesystem::path file;
  PluginPolicy policy;
  /// Why the file is invalid, starting with its line when one is to blame ("line 4: ...").
  std::string problem;
};

/// Returns `${AAI_SYSTEM_CONFIG_DIR}/plugins.ini`, or /etc/aai/plugins.ini when the variable is
/// unset or empty. The variable is passed as its value or NULL.
std::filesystem::path plugin_policy_path(const char* system_config_dir);

/// Parses the text of a policy file. `file` is only recorded in the result. Only the [policy]
/// section and its keys set_by, allow and allow_sha256 may appear. A list key given on several
/// lines, or continued on an indented line, adds to its list. Names must be valid plugin names,
/// digests 64 hexadecimal digits, and no line may be longer than inih reads (199 characters).
PolicyReading parse_plugin_policy(const std::string& text, const std::filesystem::path& file);

/// Reads and parses the policy file. A missing file gives State::none; a file that cannot be
/// read gives State::invalid with the system error.
PolicyReading read_plugin_policy(const std::filesystem::path& file);

/// Outcome of checking one plugin file against a policy.
enum class PolicyVerdict {
  allowed_by_name,
  allowed_by_sha256,
  not_allowed,
};

/// Decides whether a plugin file may load, without loading it. `manifest_name` is the name in
/// the file's valid manifest, or nullopt for a file without one, which can then only be allowed
/// by its digest. `file_sha256` is called only when the name does not decide, so a policy that
/// allows the plugin by name never hashes it; it may throw.
PolicyVerdict decide_by_policy(const PluginPolicy& policy,
                               const std::optional<std::string>& manifest_name,
                               const std::function<std::string()>& file_sha256);

/// Returns the reason a policy in force rejects a plugin: "it is not allowed by the plugin policy
/// in FILE, set by SET_BY", without the ", set by" part when set_by is empty.
std::string not_allowed_reason(const PolicyReading& reading);

/// Returns the reason a plugin outside `builtin_folder` is rejected while the policy file is
/// invalid: "the plugin policy FILE is invalid, so only the plugins in BUILTIN load".
std::string invalid_policy_reason(const PolicyReading& reading,
                                  const std::filesystem::path& builtin_folder);

}  // namespace aai::host
