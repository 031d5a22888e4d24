#include "plugin_policy.hpp"

#include "plugin_specs.hpp"
#include "sha256.hpp"

#include <ini.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

namespace aai::host {

namespace fs = std::filesystem;

namespace {

// inih reads lines into a buffer of INI_MAX_LINE (200) bytes in Debian's libinih 55, so it
// reads at most 199 characters of a line. It would take the rest of a longer line as a line of
// its own, or an indented rest as a continuation of the value, so longer lines are rejected.
constexpr size_t kMaxLineLength = 199;

// Feeds inih one line at a time and counts them. inih calls the handler for a line before it
// reads the next one, so the count is the line of the key the handler gets.
struct LineReader {
  const std::string* text = nullptr;
  size_t position = 0;
  int line = 0;
};

char* read_line(char* buffer, int size, void* stream) {
  auto& reader = *static_cast<LineReader*>(stream);
  const std::string& text = *reader.text;
  if (reader.position >= text.size()) {
    return nullptr;
  }
  size_t end = text.find('\n', reader.position);
  if (end == std::string::npos) {
    end = text.size();
  }
  // Lines are checked against kMaxLineLength before parsing, so this never cuts one off.
  size_t length = std::min(end - reader.position, static_cast<size_t>(size - 1));
  std::memcpy(buffer, text.data() + reader.position, length);
  buffer[length] = '\0';
  reader.position = end + 1;
  ++reader.line;
  return buffer;
}

// The parser's state, passed to inih's handler.
struct PolicyParser {
  LineReader reader;
  PluginPolicy policy;
  bool has_allow = false;
  bool has_set_by = false;
  /// The first problem the handler found and its line, or 0.
  int problem_line = 0;
  std::string problem;
};

std::string trim(const std::string& text) {
  size_t start = text.find_first_not_of(" \t");
  if (start == std::string::npos) {
    return "";
  }
  size_t end = text.find_last_not_of(" \t");
  return text.substr(start, end - start + 1);
}

// Splits a comma-separated list, dropping empty items, so a value may end in a comma and go on
// on the next, indented line.
std::vector<std::string> split_list(const std::string& value) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= value.size()) {
    size_t comma = std::min(value.find(',', start), value.size());
    std::string item = trim(value.substr(start, comma - start));
    if (!item.empty()) {
      items.push_back(std::move(item));
    }
    start = comma + 1;
  }
  return items;
}

// Adds one key to the policy. Returns the problem with it, or an empty string.
std::string add_key(PolicyParser& parser, const std::string& section, const std::string& key,
                    const std::string& value) {
  if (section != "policy") {
    return section.empty() ? "'" + key + "' is outside the [policy] section"
                           : "unknown section [" + section + "]; only [policy] is read";
  }
  if (key == "set_by") {
    if (parser.has_set_by) {
      return "set_by is given twice";
    }
    parser.has_set_by = true;
    parser.policy.set_by = value;
    return "";
  }
  if (key == "allow") {
    parser.has_allow = true;
    for (auto& name : split_list(value)) {
      if (!is_valid_word(name)) {
        return "invalid plugin name '" + name +
               "' in allow: use lower-case letters, digits and '-'";
      }
      parser.policy.allowed_names.push_back(std::move(name));
    }
    return "";
  }
  if (key == "allow_sha256") {
    parser.has_allow = true;
    for (auto& digest : split_list(value)) {
      if (!is_sha256_hex(digest)) {
        return "invalid SHA-256 '" + digest + "' in allow_sha256: expected 64 hexadecimal digits";
      }
      std::transform(digest.begin(), digest.end(), digest.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      parser.policy.allowed_sha256.push_back(std::move(digest));
    }
    return "";
  }
  return "unknown key '" + key + "' in [policy]; expected set_by, allow or allow_sha256";
}

int handle_key(void* user, const char* section, const char* key, const char* value) {
  auto& parser = *static_cast<PolicyParser*>(user);
  std::string problem = add_key(parser, section, key, value);
  if (problem.empty()) {
    return 1;
  }
  if (parser.problem_line == 0) {
    parser.problem_line = parser.reader.line;
    parser.problem = std::move(problem);
  }
  return 0;
}

PolicyReading invalid_reading(const fs::path& file, std::string problem) {
  PolicyReading reading;
  reading.state = PolicyReading::State::invalid;
  reading.file = file;
  reading.problem = std::move(problem);
  return reading;
}

// Returns the number of the first line longer than kMaxLineLength, or 0.
int find_long_line(const std::string& text) {
  int line = 1;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = std::min(text.find('\n', start), text.size());
    if (end - start > kMaxLineLength) {
      return line;
    }
    start = end + 1;
    ++line;
  }
  return 0;
}

}  // namespace

fs::path plugin_policy_path(const char* system_config_dir) {
  fs::path folder = system_config_dir != nullptr && *system_config_dir != '\0'
                        ? fs::path(system_config_dir)
                        : fs::path("/etc/aai");
  return folder / "plugins.ini";
}

PolicyReading parse_plugin_policy(const std::string& text, const fs::path& file) {
  if (int line = find_long_line(text); line != 0) {
    return invalid_reading(file, "line " + std::to_string(line) + " is longer than " +
                                     std::to_string(kMaxLineLength) +
                                     " characters; continue a long list on an indented line");
  }
  PolicyParser parser;
  parser.reader.text = &text;
  int error_line = ini_parse_stream(&read_line, &parser.reader, &handle_key, &parser);
  // inih returns the first line that failed, whether its syntax was wrong or the handler
  // rejected it. The handler's problem belongs to that line only when the numbers agree.
  if (error_line > 0 && error_line == parser.problem_line) {
    return invalid_reading(file, "line " + std::to_string(error_line) + ": " + parser.problem);
  }
  if (error_line > 0) {
    return invalid_reading(
        file, "line " + std::to_string(error_line) + ": expected [policy] or KEY = VALUE");
  }
  PolicyReading reading;
  reading.file = file;
  if (parser.has_allow) {
    reading.state = PolicyReading::State::in_force;
    reading.policy = std::move(parser.policy);
  }
  return reading;
}

PolicyReading read_plugin_policy(const fs::path& file) {
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) {
    PolicyReading reading;
    reading.file = file;
    return reading;
  }
  if (fd < 0) {
    return invalid_reading(file, std::string("could not read it: ") + std::strerror(errno));
  }
  std::string text;
  char block[4096];
  while (true) {
    ssize_t count = ::read(fd, block, sizeof block);
    if (count < 0 && errno == EINTR) {
      continue;
    }
    if (count < 0) {
      int error = errno;
      ::close(fd);
      return invalid_reading(file, std::string("could not read it: ") + std::strerror(error));
    }
    if (count == 0) {
      break;
    }
    text.append(block, static_cast<size_t>(count));
  }
  ::close(fd);
  return parse_plugin_policy(text, file);
}

PolicyVerdict decide_by_policy(const PluginPolicy& policy,
                               const std::optional<std::string>& manifest_name,
                               const std::function<std::string()>& file_sha256) {
  const auto& names = policy.allowed_names;
  if (manifest_name && std::find(names.begin(), names.end(), *manifest_name) != names.end()) {
    return PolicyVerdict::allowed_by_name;
  }
  if (policy.allowed_sha256.empty()) {
    return PolicyVerdict::not_allowed;
  }
  std::string digest = file_sha256();
  const auto& digests = policy.allowed_sha256;
  if (std::find(digests.begin(), digests.end(), digest) != digests.end()) {
    return PolicyVerdict::allowed_by_sha256;
  }
  return PolicyVerdict::not_allowed;
}

std::string not_allowed_reason(const PolicyReading& reading) {
  std::string reason = "it is not allowed by the plugin policy in " + reading.file.string();
  if (!reading.policy.set_by.empty()) {
    reason += ", set by " + reading.policy.set_by;
  }
  return reason;
}

std::string invalid_policy_reason(const PolicyReading& reading, const fs::path& builtin_folder) {
  return "the plugin policy " + reading.file.string() + " is invalid, so only the plugins in " +
         builtin_folder.string() + " load";
}

}  // namespace aai::host
