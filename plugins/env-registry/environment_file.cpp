#include "environment_file.hpp"

#include <ini.h>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstring>

namespace env_registry {
namespace {

// One [name] line of the file. inih calls the handler only for keys, so the reader records
// section lines itself. That is how an empty section or a repeated one is noticed.
struct SectionLine {
  int line = 0;
  std::string name;
};

struct KeyLine {
  int line = 0;
  std::string key;
  std::string value;
};

// The lines, sections and keys that the reader and the handler collect while inih parses one
// file.
struct ParseState {
  std::vector<std::string> lines;
  size_t next_line = 0;

  // Number (1-based) of the line inih is working on: the handler runs right after the reader
  // returned that line.
  int current_line = 0;

  // The first line longer than inih's buffer, or 0.
  int too_long_line = 0;
  int max_line_size = 0;

  std::vector<bool> indented;
  std::vector<SectionLine> sections;

  // Keys of each entry of `sections`, by index.
  std::vector<std::vector<KeyLine>> keys;
  std::vector<FileIssue> issues;
  const FileSettings* settings = nullptr;
};

// inih keeps at most this many characters of a section name (MAX_SECTION is 50 with the NUL in
// Debian's libinih 55). A longer name would not match the keys inih reports under it.
constexpr size_t kMaxSectionNameSize = 49;

FileIssue file_issue(const FileSettings& settings, Problem problem) {
  std::string warning = "skipped " + settings.label + ": " + problem.reason;
  return {std::move(warning), std::move(problem)};
}

std::vector<std::string> split_lines(std::string_view text) {
  // inih skips a UTF-8 byte order mark itself, but the section scan below must not see it.
  if (text.substr(0, 3) == "\xEF\xBB\xBF") {
    text.remove_prefix(3);
  }
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    std::string_view line =
        text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    lines.emplace_back(line);
    if (end == std::string_view::npos) {
      break;
    }
    start = end + 1;
  }
  return lines;
}

// Records a line that inih will read as a section header, using inih's rule: after leading
// whitespace, '[' and then the text up to the first ']'. An indented '[' line that follows a key
// is a continuation value to inih; recording it anyway only adds a warning for an empty section.
void note_section_line(ParseState& state, const std::string& line) {
  size_t start = line.find_first_not_of(" \t");
  if (start == std::string::npos || line[start] != '[') {
    return;
  }
  size_t close = line.find(']', start);
  if (close == std::string::npos) {
    return;
  }
  state.sections.push_back({state.current_line, line.substr(start + 1, close - start - 1)});
  state.keys.emplace_back();
}

// An fgets-style reader over the lines, one line per call, for ini_parse_stream.
char* read_line(char* buffer, int size, void* stream) {
  auto& state = *static_cast<ParseState*>(stream);
  if (state.next_line >= state.lines.size() || state.too_long_line != 0) {
    return nullptr;
  }
  const std::string& line = state.lines[state.next_line++];
  state.current_line = static_cast<int>(state.next_line);
  // inih's buffer has room for size - 1 characters and the NUL. A longer line cannot be read whole,
  // so parsing stops there and the file is skipped.
  if (size < 1 || line.size() > static_cast<size_t>(size - 1)) {
    state.too_long_line = state.current_line;
    state.max_line_size = size - 1;
    return nullptr;
  }
  std::memcpy(buffer, line.c_str(), line.size() + 1);
  state.indented.push_back(!line.empty() && (line[0] == ' ' || line[0] == '\t'));
  note_section_line(state, line);
  return buffer;
}

int on_key(void* user, const char* section, const char* key, const char* value) {
  auto& state = *static_cast<ParseState*>(user);
  const std::string section_name = section != nullptr ? section : "";
  const std::string key_name = key != nullptr ? key : "";
  if (section_name.empty()) {
    Problem problem{"it comes before the first [name] section",
                    "Move the key into the section of its environment."};
    state.issues.push_back({"skipped key '" + key_name + "' in " + state.settings->label +
                                " line " + std::to_string(state.current_line) + ": " +
                                problem.reason,
                            problem});
    return 1;
  }
  // The key belongs to the last section line of that name read so far.
  for (size_t i = state.sections.size(); i-- > 0;) {
    if (state.sections[i].name == section_name) {
      state.keys[i].push_back({state.current_line, key_name, value != nullptr ? value : ""});
      return 1;
    }
  }
  return 1;
}

bool is_variable_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}

bool is_variable_character(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// Builds one environment from its section, or returns the reason and the line to report.
struct EntryResult {
  std::optional<EnvironmentDefinition> environment;
  std::optional<Problem> problem;
  int problem_line = 0;
};

EntryResult build_entry(const SectionLine& section, const std::vector<KeyLine>& keys,
                        const ParseState& state) {
  EntryResult result;
  auto fail = [&](int line, Problem problem) {
    result.problem = std::move(problem);
    result.problem_line = line;
    return result;
  };
  if (auto problem = check_environment_name(section.name)) {
    return fail(section.line, *problem);
  }
  if (section.name.size() > kMaxSectionNameSize) {
    return fail(section.line, {"the name is longer than " + std::to_string(kMaxSectionNameSize) +
                                   " characters, which inih cannot read",
                               "Use a shorter name."});
  }

  const FileSettings& settings = *state.settings;
  EnvironmentDefinition environment;
  environment.name = section.name;
  environment.origin = settings.origin;
  std::vector<const KeyLine*> seen;
  for (const KeyLine& entry : keys) {
    if (auto problem = check_field_key(entry.key)) {
      return fail(entry.line, *problem);
    }
    auto earlier = std::find_if(seen.begin(), seen.end(),
                                [&](const KeyLine* other) { return other->key == entry.key; });
    if (earlier != seen.end()) {
      std::string reason = "'" + entry.key + "' is set twice, on lines " +
                           std::to_string((*earlier)->line) + " and " + std::to_string(entry.line);
      bool indented = entry.line >= 1 && static_cast<size_t>(entry.line) <= state.indented.size() &&
                      state.indented[static_cast<size_t>(entry.line) - 1];
      if (indented) {
        reason += " (an indented line continues the key above it)";
      }
      return fail(entry.line, {reason, "Keep one line per key and do not indent keys."});
    }
    seen.push_back(&entry);

    std::string value = entry.value;
    bool deferred = false;
    if (value.find("${") != std::string::npos) {
      if (settings.lookup) {
        Expansion expansion = expand_variables(entry.key, value, settings.lookup);
        if (expansion.problem) {
          return fail(entry.line, *expansion.problem);
        }
        value = expansion.value;
      } else {
        // Only the syntax can be checked before the variables exist.
        Expansion syntax = expand_variables(
            entry.key, value, [](const std::string&) { return std::optional<std::string>("x"); });
        if (syntax.problem) {
          return fail(entry.line, *syntax.problem);
        }
        deferred = true;
      }
    }
    if (!deferred) {
      if (auto problem = check_field_value(entry.key, value)) {
        return fail(entry.line, *problem);
      }
    }
    if (entry.key == "summary") {
      environment.summary = value;
    } else {
      environment.fields.emplace_back(entry.key, value);
    }
  }
  bool has_api_base = std::any_of(environment.fields.begin(), environment.fields.end(),
                                  [](const auto& field) { return field.first == "api_base"; });
  if (!has_api_base) {
    return fail(section.line, {"api_base is missing",
                               "Add a line such as api_base = "
                               "https://api.example.com to the section."});
  }
  result.environment = std::move(environment);
  return result;
}

}  // namespace

// There is no escape for a literal "${": every one starts a reference.
Expansion expand_variables(const std::string& key, const std::string& value,
                           const VariableLookup& lookup) {
  Expansion expansion;
  size_t position = 0;
  while (position < value.size()) {
    size_t start = value.find("${", position);
    if (start == std::string::npos) {
      expansion.value += value.substr(position);
      break;
    }
    expansion.value += value.substr(position, start - position);
    size_t end = value.find('}', start + 2);
    std::string name =
        end == std::string::npos ? std::string() : value.substr(start + 2, end - start - 2);
    if (name.empty() || !is_variable_start(name[0]) ||
        !std::all_of(name.begin(), name.end(), is_variable_character)) {
      expansion.problem = Problem{
          key + " '" + value + "' contains an invalid variable reference",
          "Write a reference as ${NAME}, where NAME is letters, digits and '_' and does not "
          "start with a digit."};
      return expansion;
    }
    std::optional<std::string> replacement = lookup(name);
    if (!replacement || replacement->empty()) {
      expansion.problem = Problem{key + " refers to ${" + name + "}, which is not set",
                                  "Set " + name +
                                      " in the environment of aai, or write the "
                                      "value out in the file."};
      return expansion;
    }
    expansion.value += *replacement;
    position = end + 1;
  }
  return expansion;
}

ParsedFile parse_environment_file(std::string_view text, const FileSettings& settings) {
  ParsedFile parsed;
  if (text.find('\0') != std::string_view::npos) {
    parsed.issues.push_back(
        file_issue(settings, {"it contains a NUL byte, so it is not a text file",
                              "Replace it with an INI file of [name] sections."}));
    return parsed;
  }

  ParseState state;
  state.settings = &settings;
  state.lines = split_lines(text);
  int result = ini_parse_stream(&read_line, &state, &on_key, &state);
  if (state.too_long_line != 0) {
    parsed.issues.push_back(file_issue(
        settings, {"line " + std::to_string(state.too_long_line) + " is longer than " +
                       std::to_string(state.max_line_size) +
                       " characters, which inih cannot read, so no environment from this file "
                       "is used",
                   "Shorten that line."}));
    return parsed;
  }
  if (result > 0) {
    parsed.issues.push_back(file_issue(
        settings, {"line " + std::to_string(result) +
                       " is not [name], key = value or a comment, so no environment from this "
                       "file is used",
                   "Fix that line; every other line must be a section, a key or a comment."}));
    return parsed;
  }
  if (result < 0) {
    parsed.issues.push_back(
        file_issue(settings, {"inih could not parse it (status " + std::to_string(result) +
                                  "), so no environment from this file is used",
                              "Run aai again; status -2 means inih ran out of memory."}));
    return parsed;
  }
  parsed.issues = std::move(state.issues);

  for (size_t i = 0; i < state.sections.size(); ++i) {
    const SectionLine& section = state.sections[i];
    auto end = state.sections.begin() + static_cast<std::ptrdiff_t>(i);
    auto first = std::find_if(state.sections.begin(), end,
                              [&](const SectionLine& other) { return other.name == section.name; });
    EntryResult entry;
    if (first != end) {
      entry.problem = Problem{"[" + section.name + "] already appears on line " +
                                  std::to_string(first->line) + " of this file",
                              "Merge the two sections into one."};
      entry.problem_line = section.line;
    } else {
      entry = build_entry(section, state.keys[i], state);
    }
    if (entry.problem) {
      parsed.issues.push_back({"skipped environment '" + section.name + "' in " + settings.label +
                                   " line " + std::to_string(entry.problem_line) + ": " +
                                   entry.problem->reason,
                               *entry.problem});
      continue;
    }
    parsed.environments.push_back(std::move(*entry.environment));
  }
  return parsed;
}

}  // namespace env_registry
