#include "global_options.hpp"

#include "cli_error.hpp"
#include "global_option_table.hpp"
#include "suggestions.hpp"

#include <boost/program_options.hpp>

#include <algorithm>

namespace aai::host {
namespace po = boost::program_options;

namespace {

constexpr const char* kSandboxEnvironment = "sandbox000";

bool takes_next_word(const std::string& word) {
  for (const auto& option : kGlobalOptionTable) {
    if (option.value_name == nullptr) {
      continue;
    }
    if (word == std::string("--") + option.long_name) {
      return true;
    }
    // A short cluster such as -vp takes the next word when it ends in a value option's letter.
    if (option.short_name != 0 && word.size() >= 2 && word[0] == '-' && word[1] != '-' &&
        word.back() == option.short_name && word.find(option.short_name) == word.size() - 1) {
      return true;
    }
  }
  return false;
}

// Returns how many leading words are global options and their values.
size_t count_global_words(const std::vector<std::string>& args) {
  size_t i = 0;
  while (i < args.size() && args[i].size() > 1 && args[i][0] == '-' && args[i] != "--") {
    i += takes_next_word(args[i]) ? 2 : 1;
  }
  return std::min(i, args.size());
}

po::options_description describe() {
  po::options_description description;
  for (const auto& option : kGlobalOptionTable) {
    std::string name = option.long_name;
    if (option.short_name != 0) {
      name += std::string(",") + option.short_name;
    }
    if (option.value_name != nullptr) {
      description.add_options()(name.c_str(), po::value<std::string>());
    } else {
      description.add_options()(name.c_str(), "");
    }
  }
  return description;
}

CliError unknown_global_option(const std::string& typed) {
  std::vector<std::string> known;
  for (const auto& option : kGlobalOptionTable) {
    known.push_back(std::string("--") + option.long_name);
  }
  std::string suggestion = did_you_mean(closest_matches(typed, known));
  return usage_error("Unknown global option '" + typed + "'.",
                     suggestion.empty() ? "Run `aai --help` to see the global options; a "
                                          "command's own options go after its name."
                                        : suggestion);
}

po::parsed_options run_parser(const std::vector<std::string>& words) {
  int style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
  try {
    return po::command_line_parser(words).options(describe()).style(style).run();
  } catch (const po::unknown_option& error) {
    throw unknown_global_option(error.get_option_name());
  } catch (const po::invalid_command_line_syntax& error) {
    std::string name = error.get_option_name() == "-p" ? "--profile" : error.get_option_name();
    if (error.kind() == po::invalid_syntax::missing_parameter) {
      throw usage_error("Missing value for " + name + ".", "Run `aai --help` for usage.");
    }
    throw usage_error("The option " + name + " does not take a value.",
                      "Run `aai --help` for usage.");
  } catch (const po::error& error) {
    throw usage_error(std::string("Invalid global options: ") + error.what() + ".",
                      "Run `aai --help` for usage.");
  }
}

void apply(const po::option& option, GlobalOptions& options) {
  const std::string& key = option.string_key;
  if (key == "env") {
    options.env = option.value.front();
  } else if (key == "profile") {
    options.profile = option.value.front();
  } else if (key == "sandbox") {
    options.sandbox = true;
  } else if (key == "json") {
    options.json = true;
  } else if (key == "quiet") {
    options.quiet = true;
  } else if (key == "verbose") {
    options.verbosity = std::min(options.verbosity + 1, 2);
  } else if (key == "version") {
    options.version = true;
  } else if (key == "help") {
    options.help = true;
  }
}

}  // namespace

bool is_valid_profile_name(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

void check_profile_name(const std::string& name) {
  if (!is_valid_profile_name(name)) {
    throw CliError(2, "invalid_profile", "Invalid profile name '" + name + "'.",
                   "Use only letters, digits, '-' and '_', such as `-p work`.");
  }
}

GlobalOptions parse_global_options(const std::vector<std::string>& args) {
  size_t global_count = count_global_words(args);
  std::vector<std::string> global_words(args.begin(), args.begin() + global_count);
  GlobalOptions options;
  for (const auto& option : run_parser(global_words).options) {
    apply(option, options);
  }

  size_t command_start = global_count;
  if (command_start < args.size() && args[command_start] == "--") {
    ++command_start;
  }
  options.command_words.assign(args.begin() + command_start, args.end());

  if (options.profile) {
    check_profile_name(*options.profile);
  }
  if (options.sandbox && options.env && *options.env != kSandboxEnvironment) {
    options.warnings.push_back("--env " + *options.env + " overrides --sandbox.");
  }
  return options;
}

}  // namespace aai::host
