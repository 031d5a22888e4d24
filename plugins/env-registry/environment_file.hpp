// Parsing of environment files: INI with one [name] section per environment.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "environment_definition.hpp"
#include "field_rules.hpp"

namespace env_registry {

/// Returns the value of environment variable `name`, or nullopt when it is unset.
using VariableLookup = std::function<std::optional<std::string>(const std::string& name)>;

/// How to read one file.
struct FileSettings {
  /// Names the file in warnings: its path, or "acme.ini (compiled in)".
  std::string label;

  /// Stored as the origin of every environment in the file.
  std::string origin;

  /// Resolves ${NAME} references in values. When empty, as in the build-time check of
  /// compiled-in files, values that contain a reference are kept as written and only checked
  /// when the plugin loads them.
  VariableLookup lookup;
};

/// Something in a file that was skipped: an environment, a key or the whole file.
struct FileIssue {
  /// One line for Host::warn, such as "skipped environment 'acme' in
  /// /etc/aai/environments.d/acme.ini line 3: api_base 'http://api.acme.example' must use https
  /// (only loopback hosts may use http)".
  std::string warning;

  /// The reason alone, with a suggestion for fixing it.
  Problem problem;
};

/// The environments of one file, and what was wrong with it.
struct ParsedFile {
  /// The valid environments, in file order.
  std::vector<EnvironmentDefinition> environments;

  std::vector<FileIssue> issues;
};

/// Parses `text` with inih. Each [name] section is one environment: `summary` is its summary and
/// every other key one of its fields, with ${NAME} replaced by the environment variable NAME.
/// An environment that breaks a rule (field_rules.hpp), lacks api_base, repeats a key or repeats
/// a section of the same file is skipped with a warning that names the file, the line and the
/// reason. The other environments still load. A key before any section is skipped the same way.
/// A file that inih cannot parse, or with a line longer than inih reads, or with a NUL byte,
/// yields one warning and no environment at all. Half of a broken file could describe a
/// different environment than its author meant.
ParsedFile parse_environment_file(std::string_view text, const FileSettings& settings);

/// A value with its ${NAME} references replaced, or why they could not be.
struct Expansion {
  std::string value;
  std::optional<Problem> problem;
};

/// Replaces every ${NAME} in `value` of field `key` with the variable `lookup` returns. NAME is
/// a letter or '_' followed by letters, digits and '_'. A malformed reference, or a variable
/// that is unset or empty, is a problem. A '$' not followed by '{' stays as it is.
Expansion expand_variables(const std::string& key, const std::string& value,
                           const VariableLookup& lookup);

}  // namespace env_registry
