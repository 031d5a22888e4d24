#include "plugin_manifest.hpp"

#include "elf_section.hpp"
#include "plugin_specs.hpp"

#include <aai/manifest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <set>
#include <stdexcept>

namespace aai::host {

namespace {

using nlohmann::json;

bool is_control(char c) {
  auto byte = static_cast<unsigned char>(c);
  return byte < 0x20 || byte == 0x7f;
}

// Returns `value` with control characters written as \xNN, so that a manifest cannot send
// terminal escape sequences through an error message.
std::string printable(const std::string& value) {
  std::string text;
  for (char c : value) {
    if (is_control(c)) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", static_cast<unsigned char>(c));
      text += escaped;
    } else {
      text += c;
    }
  }
  return text;
}

[[noreturn]] void reject(const std::string& reason) {
  throw std::invalid_argument(reason);
}

const json& member(const json& manifest, const char* name) {
  auto found = manifest.find(name);
  if (found == manifest.end()) {
    reject(std::string("it has no \"") + name + "\" member");
  }
  return *found;
}

std::string string_member(const json& manifest, const char* name) {
  const json& value = member(manifest, name);
  if (!value.is_string()) {
    reject(std::string("\"") + name + "\" must be a string, not " + value.type_name());
  }
  return value.get<std::string>();
}

// Returns a string member that is shown as it is, so it may contain no control characters.
std::string text_member(const json& manifest, const char* name) {
  std::string value = string_member(manifest, name);
  if (std::any_of(value.begin(), value.end(), is_control)) {
    reject(std::string("\"") + name + "\" contains a control character");
  }
  return value;
}

// Returns the strings of an array member, each checked by `check`, rejecting duplicates.
template <typename Check>
std::vector<std::string> string_list_member(const json& manifest, const char* name, Check check) {
  const json& value = member(manifest, name);
  if (!value.is_array()) {
    reject(std::string("\"") + name + "\" must be an array, not " + value.type_name());
  }
  std::vector<std::string> items;
  std::set<std::string> seen;
  for (const auto& item : value) {
    if (!item.is_string()) {
      reject(std::string("\"") + name + "\" must contain only strings, not " + item.type_name());
    }
    std::string text = item.get<std::string>();
    check(text);
    if (!seen.insert(text).second) {
      reject(std::string("\"") + name + "\" lists '" + text + "' twice");
    }
    items.push_back(std::move(text));
  }
  return items;
}

bool is_command_name(const std::string& name) {
  size_t start = 0;
  while (true) {
    size_t space = name.find(' ', start);
    if (!is_valid_word(name.substr(start, space - start))) {
      return false;
    }
    if (space == std::string::npos) {
      return true;
    }
    start = space + 1;
  }
}

// Whether `abi` is "MAJOR.MINOR": two runs of digits joined by one dot.
bool is_abi_version(const std::string& abi) {
  size_t dot = abi.find('.');
  auto digits = [](std::string_view part) {
    return !part.empty() && part.size() <= 9 &&
           std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  return dot != std::string::npos && digits(std::string_view(abi).substr(0, dot)) &&
         digits(std::string_view(abi).substr(dot + 1));
}

void check_format(const json& manifest) {
  const json& format = member(manifest, "manifest");
  if (format.is_number_integer() && format.get<int64_t>() > AAI_MANIFEST_FORMAT) {
    reject("it uses manifest format " + format.dump() + ", but this aai reads format " +
           std::to_string(AAI_MANIFEST_FORMAT) + " only; update aai");
  }
  if (!format.is_number_integer() || format.get<int64_t>() != AAI_MANIFEST_FORMAT) {
    reject("\"manifest\" must be " + std::to_string(AAI_MANIFEST_FORMAT) + ", not " +
           printable(format.dump()));
  }
}

// Returns the optional "summaries" object: one non-empty summary per command of `commands`.
std::map<std::string, std::string> summaries_member(const json& manifest,
                                                    const std::vector<std::string>& commands) {
  auto found = manifest.find("summaries");
  if (found == manifest.end()) {
    return {};
  }
  if (!found->is_object()) {
    reject(std::string("\"summaries\" must be an object, not ") + found->type_name());
  }
  std::map<std::string, std::string> summaries;
  for (const auto& [command, summary] : found->items()) {
    if (std::find(commands.begin(), commands.end(), command) == commands.end()) {
      reject("\"summaries\" names '" + printable(command) + "', which \"commands\" does not list");
    }
    if (!summary.is_string() || summary.get<std::string>().empty()) {
      reject("the summary of '" + command + "' in \"summaries\" must be a non-empty string");
    }
    std::string text = summary.get<std::string>();
    if (std::any_of(text.begin(), text.end(), is_control)) {
      reject("the summary of '" + command + "' in \"summaries\" contains a control character");
    }
    summaries.emplace(command, std::move(text));
  }
  return summaries;
}

// Returns the parser's reason without its "[json.exception.parse_error.101] " prefix.
std::string parse_error_reason(const json::parse_error& error) {
  std::string text = error.what();
  size_t end = text.find("] ");
  if (text.starts_with("[json.exception.") && end != std::string::npos) {
    text.erase(0, end + 2);
  }
  return text;
}

}  // namespace

PluginManifest parse_manifest(std::string_view text) {
  if (text.empty()) {
    reject("the manifest text is empty");
  }
  json manifest;
  try {
    manifest = json::parse(text);
  } catch (const json::parse_error& error) {
    reject("it is not valid JSON: " + parse_error_reason(error));
  }
  if (!manifest.is_object()) {
    reject(std::string("it must be a JSON object, not ") + manifest.type_name());
  }
  check_format(manifest);

  PluginManifest result;
  result.name = string_member(manifest, "name");
  if (!is_valid_word(result.name)) {
    reject("invalid \"name\" '" + printable(result.name) +
           "': use lower-case letters, digits and '-'");
  }
  result.version = text_member(manifest, "version");
  if (result.version.empty()) {
    reject("\"version\" is empty");
  }
  result.abi = string_member(manifest, "abi");
  if (!is_abi_version(result.abi)) {
    reject("invalid \"abi\" '" + printable(result.abi) + "': expected MAJOR.MINOR, such as " +
           std::to_string(AAI_ABI_VERSION_MAJOR) + "." + std::to_string(AAI_ABI_VERSION_MINOR));
  }
  result.summary = text_member(manifest, "summary");
  result.commands = string_list_member(manifest, "commands", [](const std::string& name) {
    if (!is_command_name(name)) {
      reject("invalid command name '" + printable(name) +
             "' in \"commands\": use lower-case words separated by single spaces");
    }
  });
  result.needs = string_list_member(manifest, "needs", [](const std::string& need) {
    if (need != "network" && need != "credentials") {
      reject("unknown need '" + printable(need) +
             "' in \"needs\": expected network or credentials");
    }
  });
  result.summaries = summaries_member(manifest, result.commands);
  return result;
}

std::string manifest_text_of_section(const std::string& contents) {
  size_t end = contents.find('\0');
  if (end == std::string::npos) {
    return contents;
  }
  // The linker pads sections with NUL bytes; anything else after the first NUL is a second text.
  if (contents.find_first_not_of('\0', end) != std::string::npos) {
    reject(std::string("the ") + AAI_MANIFEST_SECTION +
           " section contains more than one text; use AAI_PLUGIN_MANIFEST once per plugin");
  }
  return contents.substr(0, end);
}

ManifestReading read_plugin_manifest(const std::filesystem::path& file) {
  ManifestReading reading;
  try {
    ElfSectionReading section = read_elf_section(file, AAI_MANIFEST_SECTION, kMaxManifestBytes);
    switch (section.status) {
      case ElfSectionReading::Status::missing:
      case ElfSectionReading::Status::not_elf:
        return reading;
      case ElfSectionReading::Status::failed:
        reading.state = ManifestReading::State::invalid;
        reading.problem = section.error;
        return reading;
      case ElfSectionReading::Status::found:
        break;
    }
    reading.manifest = parse_manifest(manifest_text_of_section(section.contents));
    reading.state = ManifestReading::State::valid;
  } catch (const std::exception& error) {
    reading.state = ManifestReading::State::invalid;
    reading.problem = error.what();
  }
  return reading;
}

}  // namespace aai::host
