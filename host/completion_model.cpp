#include "completion_model.hpp"

#include "global_option_table.hpp"
#include "plugin_specs.hpp"

#include <algorithm>
#include <set>

namespace aai::host {

namespace {

// Placeholders that name a path. Plugins declare no value types beyond text and numbers, so the
// placeholder (an option's value name, an argument's name) is the only hint that a value is a
// file. SOURCE is listed because `aai transcribe` and `aai stream` read a file there.
const std::set<std::string>& file_placeholders() {
  static const std::set<std::string> names = {"FILE", "FILES", "PATH", "PATHS", "SOURCE"};
  return names;
}

const std::set<std::string>& directory_placeholders() {
  static const std::set<std::string> names = {"DIR", "DIRS", "DIRECTORY", "FOLDER"};
  return names;
}

// Returns files or directories when `placeholder` names a path, such as FILE or CONFIG_FILE, and
// text otherwise.
ValueCompletion placeholder_completion(const std::string& placeholder) {
  std::string last_word = placeholder.substr(placeholder.find_last_of("_-") + 1);
  if (file_placeholders().contains(placeholder) || file_placeholders().contains(last_word)) {
    return ValueCompletion::files;
  }
  if (directory_placeholders().contains(placeholder) ||
      directory_placeholders().contains(last_word)) {
    return ValueCompletion::directories;
  }
  return ValueCompletion::text;
}

bool is_ascii_alphanumeric(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Keeps the plain words of `values`, in order, and records a warning for each other one.
std::vector<std::string> plain_words(const std::vector<std::string>& values,
                                     const std::string& owner, std::vector<std::string>& left_out) {
  std::vector<std::string> plain;
  for (const auto& value : values) {
    if (is_plain_word(value)) {
      plain.push_back(value);
    } else {
      left_out.push_back("Left the value '" + value + "' of " + owner +
                         " out of the completion script, because the shell would need it quoted.");
    }
  }
  return plain;
}

CompletionOption switch_option(const std::string& name, char short_name, const std::string& help) {
  return {name, short_name, help, {ValueCompletion::none, {}}};
}

// The scripts offer these only before the command name, because aai reads them only there.
std::vector<CompletionOption> global_options(const std::vector<std::string>& environment_names,
                                             const std::vector<std::string>& profile_names,
                                             std::vector<std::string>& left_out) {
  std::vector<CompletionOption> options;
  for (const auto& option : kGlobalOptionTable) {
    const std::string name = option.long_name;
    CompletionValue value{ValueCompletion::none, {}};
    if (name == "env") {
      value = {ValueCompletion::words, plain_words(environment_names, "--env", left_out)};
    } else if (name == "profile") {
      value = {ValueCompletion::words, plain_words(profile_names, "--profile", left_out)};
    }
    options.push_back({name, option.short_name, option.help, value});
  }
  return options;
}

CompletionValue option_value(const OptionSpec& option, const std::string& owner,
                             std::vector<std::string>& left_out) {
  if (option.type == AAI_OPTION_FLAG || option.type == AAI_OPTION_BOOLEAN) {
    return {ValueCompletion::none, {}};
  }
  if (!option.choices.empty()) {
    return {ValueCompletion::words, plain_words(option.choices, owner, left_out)};
  }
  return {placeholder_completion(option.value_name), {}};
}

// Returns the options of `spec` that the shell can complete, and records the others.
std::vector<CompletionOption> command_options(const CommandSpec& spec,
                                              std::vector<std::string>& left_out) {
  std::vector<CompletionOption> options;
  for (const auto& option : spec.options) {
    std::string owner = "`aai " + spec.name + " --" + option.name + "`";
    if (!is_valid_word(option.name)) {
      left_out.push_back("Left the option " + owner +
                         " out of the completion script, because its name is not a plain word.");
      continue;
    }
    char short_name = is_ascii_alphanumeric(option.short_name) ? option.short_name : 0;
    std::string help = completion_description(option.help);
    options.push_back({option.name, short_name, help, option_value(option, owner, left_out)});
    if (option.type == AAI_OPTION_BOOLEAN) {
      options.push_back(switch_option("no-" + option.name, 0, "Turn off --" + option.name));
    }
  }
  options.push_back(switch_option("help", 'h', "Print the command's help and exit"));
  options.push_back(switch_option("json", 'j', "Print results and errors as JSON"));
  return options;
}

// Returns how `argument` of `command` completes. The built-in help and completion commands
// take command names and shell names, which their argument names do not express.
CompletionValue argument_value(const Command& command, const ArgumentSpec& argument) {
  if (command.plugin_name.empty() && command.spec.name == "help") {
    return {ValueCompletion::commands, {}};
  }
  if (command.plugin_name.empty() && command.spec.name == "completion") {
    return {ValueCompletion::words, completion_shell_names()};
  }
  return {placeholder_completion(argument.name), {}};
}

bool is_valid_command_name(const std::string& name) {
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

// Adds every prefix of `name` to the command tree: "transcripts list" makes "list" a child of
// "transcripts" and "transcripts" a child of the top level.
void add_to_tree(const std::string& name, const std::string& summary,
                 std::map<std::string, std::vector<CompletionChild>>& children) {
  size_t start = 0;
  while (true) {
    size_t space = name.find(' ', start);
    std::string parent = start == 0 ? "" : name.substr(0, start - 1);
    std::string word = name.substr(start, space - start);
    auto& siblings = children[parent];
    auto existing = std::find_if(siblings.begin(), siblings.end(),
                                 [&](const CompletionChild& child) { return child.word == word; });
    if (existing == siblings.end()) {
      siblings.push_back({word, ""});
      existing = siblings.end() - 1;
    }
    if (space == std::string::npos) {
      existing->summary = summary;
      return;
    }
    start = space + 1;
  }
}

// Sorts each list of child words, and gives each group word without a command of its own a
// summary listing its subcommands, such as "Commands: delete, get, list".
void describe_groups(std::map<std::string, std::vector<CompletionChild>>& children) {
  for (auto& [parent, siblings] : children) {
    std::sort(siblings.begin(), siblings.end(),
              [](const CompletionChild& a, const CompletionChild& b) { return a.word < b.word; });
  }
  for (auto& [parent, siblings] : children) {
    for (auto& child : siblings) {
      std::string name = parent.empty() ? child.word : parent + " " + child.word;
      auto grandchildren = children.find(name);
      if (!child.summary.empty() || grandchildren == children.end()) {
        continue;
      }
      std::string words;
      for (const auto& grandchild : grandchildren->second) {
        words += (words.empty() ? "" : ", ") + grandchild.word;
      }
      child.summary = "Commands: " + words;
    }
  }
}

}  // namespace

std::string completion_kind_name(ValueCompletion kind) {
  switch (kind) {
    case ValueCompletion::none:
      return "none";
    case ValueCompletion::text:
      return "text";
    case ValueCompletion::words:
      return "values";
    case ValueCompletion::files:
      return "files";
    case ValueCompletion::directories:
      return "directories";
    case ValueCompletion::commands:
      return "commands";
  }
  return "none";
}

const std::vector<std::string>& completion_shell_names() {
  static const std::vector<std::string> names = {"bash", "zsh", "fish"};
  return names;
}

bool is_plain_word(const std::string& word) {
  return !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return is_ascii_alphanumeric(c) || c == '_' || c == '.' || c == ',' || c == '+' || c == '@' ||
           c == '/' || c == '-';
  });
}

std::string completion_description(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  for (char& c : line) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      c = ' ';
    }
  }
  size_t first = line.find_first_not_of(' ');
  if (first == std::string::npos) {
    return {};
  }
  return line.substr(first, line.find_last_not_of(' ') - first + 1);
}

namespace {

std::vector<CompletionWord> option_words(const std::vector<CompletionOption>& options) {
  std::vector<CompletionWord> words;
  for (const auto& option : options) {
    words.push_back({"--" + option.name, option.help});
    if (option.short_name != 0) {
      words.push_back({std::string("-") + option.short_name, option.help});
    }
  }
  return words;
}

void add_option_value_cases(const std::string& command,
                            const std::vector<CompletionOption>& options,
                            std::vector<CompletionValueCase>& cases) {
  for (const auto& option : options) {
    if (option.value.kind == ValueCompletion::none) {
      continue;
    }
    CompletionValueCase entry{command, {"--" + option.name}, option.value};
    if (option.short_name != 0) {
      entry.selectors.push_back(std::string("-") + option.short_name);
    }
    cases.push_back(std::move(entry));
  }
}

}  // namespace

std::vector<CompletionOptionList> completion_option_lists(const CompletionModel& model) {
  std::vector<CompletionOptionList> lists;
  lists.push_back({"", option_words(model.global_options)});
  for (const auto& command : model.commands) {
    lists.push_back({command.name, option_words(command.options)});
  }
  return lists;
}

std::vector<CompletionWord> group_option_words() {
  return {{"--help", "Print the group's commands and exit"},
          {"-h", "Print the group's commands and exit"},
          {"--json", "Print errors as JSON"},
          {"-j", "Print errors as JSON"}};
}

std::vector<CompletionValueCase> option_value_cases(const CompletionModel& model) {
  std::vector<CompletionValueCase> cases;
  add_option_value_cases("", model.global_options, cases);
  for (const auto& command : model.commands) {
    add_option_value_cases(command.name, command.options, cases);
  }
  return cases;
}

std::vector<CompletionValueCase> argument_value_cases(const CompletionModel& model) {
  std::vector<CompletionValueCase> cases;
  for (const auto& command : model.commands) {
    for (size_t i = 0; i < command.arguments.size(); ++i) {
      bool takes_rest = command.last_argument_variadic && i + 1 == command.arguments.size();
      std::string selector = takes_rest ? "*" : std::to_string(i);
      cases.push_back({command.name, {selector}, command.arguments[i]});
    }
  }
  return cases;
}

CompletionModel build_completion_model(const CommandRegistry& commands,
                                       const std::vector<std::string>& environment_names,
                                       const std::vector<std::string>& profile_names) {
  CompletionModel model;
  model.global_options = global_options(environment_names, profile_names, model.left_out);
  for (const auto& command : commands.commands()) {
    const CommandSpec& spec = command.spec;
    if (!is_valid_command_name(spec.name)) {
      model.left_out.push_back("Left the command '" + spec.name +
                               "' out of the completion script, because its name is not made "
                               "of plain words.");
      continue;
    }
    CompletionCommand entry;
    entry.name = spec.name;
    entry.summary = completion_description(spec.summary);
    entry.options = command_options(spec, model.left_out);
    for (const auto& argument : spec.arguments) {
      entry.arguments.push_back(argument_value(command, argument));
    }
    entry.last_argument_variadic = !spec.arguments.empty() && spec.arguments.back().variadic;
    add_to_tree(entry.name, entry.summary, model.children);
    model.commands.push_back(std::move(entry));
  }
  std::sort(model.commands.begin(), model.commands.end(),
            [](const CompletionCommand& a, const CompletionCommand& b) { return a.name < b.name; });
  describe_groups(model.children);
  return model;
}

}  // namespace aai::host
