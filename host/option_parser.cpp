#include "option_parser.hpp"

#include "cli_error.hpp"
#include "global_option_table.hpp"
#include "suggestions.hpp"

#include <boost/program_options.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace aai::host {
namespace po = boost::program_options;

namespace {

// Program_options needs a name for positional values; the control character keeps it apart
// from every option name a plugin can register.
constexpr const char* kPositionalKey = "\x01arguments";

std::string help_hint(const CommandSpec& spec) {
  return "Run `aai " + spec.name + " --help` to see its usage.";
}

std::string join(const std::vector<std::string>& values, const std::string& separator) {
  std::string text;
  for (const auto& value : values) {
    text += (text.empty() ? "" : separator) + value;
  }
  return text;
}

const OptionSpec* find_option(const CommandSpec& spec, const std::string& typed) {
  std::string name = typed;
  name.erase(0, name.find_first_not_of('-'));
  for (const auto& option : spec.options) {
    bool is_short = typed.size() == 2 && typed[0] == '-' && typed[1] != '-';
    if ((is_short && option.short_name == name[0]) || (!is_short && option.name == name)) {
      return &option;
    }
    if (option.type == AAI_OPTION_BOOLEAN && name == "no-" + option.name) {
      return &option;
    }
  }
  return nullptr;
}

std::string long_form(const CommandSpec& spec, const std::string& typed) {
  const OptionSpec* option = find_option(spec, typed);
  return option != nullptr ? "--" + option->name : typed;
}

std::string global_option_value(const std::vector<std::string>& words, const std::string& typed) {
  for (size_t i = 0; i < words.size(); ++i) {
    if (words[i].rfind(typed + "=", 0) == 0) {
      return words[i].substr(typed.size() + 1);
    }
    if (words[i] == typed && i + 1 < words.size()) {
      return words[i + 1];
    }
  }
  return "NAME";
}

CliError global_option_misplaced(const CommandSpec& spec, const std::vector<std::string>& words,
                                 const std::string& typed) {
  bool is_long = typed.rfind("--", 0) == 0;
  for (const auto& global : kGlobalOptionTable) {
    if (global.also_after_command) {
      continue;
    }
    bool matches = is_long ? typed == std::string("--") + global.long_name
                           : typed.size() >= 2 && typed[1] == global.short_name;
    if (!matches) {
      continue;
    }
    std::string placed = is_long ? typed : typed.substr(0, 2);
    if (global.value_name != nullptr) {
      placed += " " + global_option_value(words, typed);
    }
    return usage_error("'" + typed + "' is a global option, so it goes before the command name.",
                       "Put it first: `aai " + placed + " " + spec.name + " ...`.");
  }
  return usage_error("");
}

CliError unknown_option(const CommandSpec& spec, const std::vector<std::string>& words,
                        const std::string& typed) {
  CliError misplaced = global_option_misplaced(spec, words, typed);
  if (misplaced.what()[0] != '\0') {
    return misplaced;
  }
  std::vector<std::string> candidates = {"--help", "--json"};
  for (const auto& option : spec.options) {
    candidates.push_back("--" + option.name);
    if (option.type == AAI_OPTION_BOOLEAN) {
      candidates.push_back("--no-" + option.name);
    }
  }
  std::string suggestion = did_you_mean(closest_matches(typed, candidates));
  return usage_error("Unknown option '" + typed + "' for `aai " + spec.name + "`.",
                     suggestion.empty() ? help_hint(spec) : suggestion);
}

po::options_description describe(const CommandSpec& spec) {
  po::options_description description;
  auto add = description.add_options();
  for (const auto& option : spec.options) {
    std::string key = option.name;
    if (option.short_name != 0) {
      key += std::string(",") + option.short_name;
    }
    if (option.type == AAI_OPTION_FLAG) {
      add(key.c_str(), "");
    } else if (option.type == AAI_OPTION_BOOLEAN) {
      add(key.c_str(), "");
      add(("no-" + option.name).c_str(), "");
    } else {
      add(key.c_str(), po::value<std::string>());
    }
  }
  add("help,h", "");
  add("json,j", "");
  add(kPositionalKey, po::value<std::vector<std::string>>());
  return description;
}

po::parsed_options run_parser(const CommandSpec& spec, const std::vector<std::string>& words) {
  po::options_description description = describe(spec);
  po::positional_options_description positional;
  positional.add(kPositionalKey, -1);
  int style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
  try {
    return po::command_line_parser(words)
        .options(description)
        .positional(positional)
        .style(style)
        .run();
  } catch (const po::unknown_option& error) {
    throw unknown_option(spec, words, error.get_option_name());
  } catch (const po::invalid_command_line_syntax& error) {
    std::string name = long_form(spec, error.get_option_name());
    if (error.kind() == po::invalid_syntax::missing_parameter) {
      throw usage_error("Missing value for " + name + ".", help_hint(spec));
    }
    if (error.kind() == po::invalid_syntax::extra_parameter) {
      throw usage_error("The option " + name + " does not take a value.", help_hint(spec));
    }
    throw usage_error("Invalid option " + name + ": " + error.what() + ".", help_hint(spec));
  } catch (const po::error& error) {
    throw usage_error(std::string("Invalid command line: ") + error.what() + ".", help_hint(spec));
  }
}

void store_option(const CommandSpec& spec, const po::option& parsed, ParsedCommandLine& line) {
  const OptionSpec* option = find_option(spec, "--" + parsed.string_key);
  auto& values = line.options[option->name];
  if (option->type == AAI_OPTION_FLAG) {
    values = {"true"};
    return;
  }
  if (option->type == AAI_OPTION_BOOLEAN) {
    values = {parsed.string_key == option->name ? "true" : "false"};
    return;
  }
  const std::string& value = parsed.value.front();
  if (!values.empty() && !option->repeatable) {
    throw usage_error("The option --" + option->name + " was given more than once.",
                      "Give it once; only repeatable options take several values.");
  }
  check_option_value(*option, value);
  values.push_back(value);
}

void check_arguments(const CommandSpec& spec, const std::vector<std::string>& values) {
  bool variadic = !spec.arguments.empty() && spec.arguments.back().variadic;
  if (!variadic && values.size() > spec.arguments.size()) {
    throw usage_error("Unexpected argument '" + values[spec.arguments.size()] + "'.",
                      help_hint(spec));
  }
  for (size_t i = values.size(); i < spec.arguments.size(); ++i) {
    if (spec.arguments[i].required) {
      throw usage_error("Missing argument " + spec.arguments[i].name + ".", help_hint(spec));
    }
  }
}

}  // namespace

void check_option_value(const OptionSpec& option, const std::string& value) {
  std::string prefix = "Invalid value '" + value + "' for --" + option.name + ": ";
  if (option.type == AAI_OPTION_INTEGER) {
    int64_t parsed = 0;
    const char* end = value.data() + value.size();
    auto result = std::from_chars(value.data(), end, parsed);
    if (value.empty() || result.ec != std::errc() || result.ptr != end) {
      throw usage_error(prefix + "expected an integer.");
    }
  }
  if (option.type == AAI_OPTION_NUMBER) {
    char* end = nullptr;
    double parsed = value.empty() ? 0 : std::strtod(value.c_str(), &end);
    if (value.empty() || end != value.c_str() + value.size() || !std::isfinite(parsed) ||
        std::isspace(static_cast<unsigned char>(value[0]))) {
      throw usage_error(prefix + "expected a number.");
    }
  }
  if (!option.choices.empty() &&
      std::find(option.choices.begin(), option.choices.end(), value) == option.choices.end()) {
    throw usage_error(prefix + "expected one of " + join(option.choices, ", ") + ".");
  }
}

CommandLineParse parse_command_line(const CommandSpec& spec,
                                    const std::vector<std::string>& words) {
  po::parsed_options parsed = run_parser(spec, words);
  CommandLineParse result;
  for (const auto& option : parsed.options) {
    if (option.string_key == kPositionalKey) {
      result.line.arguments.insert(result.line.arguments.end(), option.value.begin(),
                                   option.value.end());
    } else if (option.string_key == "help") {
      result.help = true;
    } else if (option.string_key == "json") {
      result.json = true;
    } else {
      store_option(spec, option, result.line);
    }
  }
  if (result.help) {
    return result;
  }
  check_arguments(spec, result.line.arguments);
  for (const auto& option : spec.options) {
    if (option.default_value && result.line.options[option.name].empty()) {
      result.line.options[option.name] = {*option.default_value};
    }
  }
  std::erase_if(result.line.options, [](const auto& entry) { return entry.second.empty(); });
  return result;
}

}  // namespace aai::host
