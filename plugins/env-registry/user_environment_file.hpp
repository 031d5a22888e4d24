// The files `aai env add` writes and `aai env remove` deletes in the user's environments.d.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace env_registry {

/// Throws a usage error (exit 2) when `value` would not read back unchanged from an INI line
/// `key = value`. That is the case for a line break, a space or tab at either end (inih drops
/// them), ';' after a space or tab (inih starts a comment there), and a line longer than inih
/// reads. `option` names the value in the message, such as "--summary".
void require_writable_value(const std::string& option, const std::string& key,
                            const std::string& value);

/// Returns the text of NAME.ini: a comment line, then [name], summary (when not empty) and the
/// fields in order.
std::string format_environment_file(const std::string& name, const std::string& summary,
                                    const std::vector<std::pair<std::string, std::string>>& fields);

/// Replaces `file` with `text` so that a reader sees the old file or the new one, never a part:
/// writes a temporary file in the same folder, fsyncs it, renames it over `file` and fsyncs the
/// folder. The file gets mode 0644. A missing environments.d is created with mode 0755, and
/// missing folders above it with 0700, as the host creates the config folder. Throws aai::Error
/// (exit 1, config_error) and leaves no temporary file behind.
void write_environment_file(const std::filesystem::path& file, const std::string& text);

/// Deletes `file`; throws aai::Error (exit 1, config_error) when it cannot.
void remove_environment_file(const std::filesystem::path& file);

}  // namespace env_registry
