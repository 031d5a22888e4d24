#include "help_text.hpp"

#include "global_option_table.hpp"

#include <algorithm>
#include <utility>

namespace aai::host {

namespace {

// Left columns wider than this put their help text on the next line.
constexpr size_t kMaxLeftColumn = 30;

using Rows = std::vector<std::pair<std::string, std::string>>;

std::string format_rows(const Rows& rows) {
  size_t width = 0;
  for (const auto& [left, right] : rows) {
    if (left.size() <= kMaxLeftColumn) {
      width = std::max(width, left.size());
    }
  }
  std::string text;
  for (const auto& [left, right] : rows) {
    text += "  " + left;
    if (right.empty()) {
      text += "\n";
    } else if (left.size() > kMaxLeftColumn) {
      text += "\n  " + std::string(width + 2, ' ') + right + "\n";
    } else {
      text += std::string(width + 2 - left.size(), ' ') + right + "\n";
    }
  }
  return text;
}

const Rows& global_option_rows() {
  static const Rows rows = [] {
    Rows table_rows;
    for (const auto& option : kGlobalOptionTable) {
      std::string left = option.short_name != 0 ? std::string("-") + option.short_name + ", " : "";
      left += std::string("--") + option.long_name;
      if (option.value_name != nullptr) {
        left += std::string(" ") + option.value_name;
      }
      table_rows.emplace_back(left, option.help);
    }
    return table_rows;
  }();
  return rows;
}

Rows command_rows(std::vector<const Command*> commands) {
  std::sort(commands.begin(), commands.end(),
            [](const Command* a, const Command* b) { return a->spec.name < b->spec.name; });
  Rows rows;
  for (const Command* command : commands) {
    rows.emplace_back(command->spec.name, command->spec.summary);
  }
  return rows;
}

std::string value_placeholder(const OptionSpec& option) {
  if (!option.value_name.empty()) {
    return option.value_name;
  }
  if (!option.choices.empty()) {
    std::string joined;
    for (const auto& choice : option.choices) {
      joined += (joined.empty() ? "" : "|") + choice;
    }
    return joined;
  }
  return option.type == AAI_OPTION_INTEGER  ? "N"
         : option.type == AAI_OPTION_NUMBER ? "NUMBER"
                                            : "TEXT";
}

std::string option_left(const OptionSpec& option) {
  std::string left = option.short_name != 0 ? std::string("-") + option.short_name + ", " : "    ";
  if (option.type == AAI_OPTION_BOOLEAN) {
    return left + "--[no-]" + option.name;
  }
  left += "--" + option.name;
  if (option.type != AAI_OPTION_FLAG) {
    left += " " + value_placeholder(option);
  }
  return left;
}

std::string option_right(const OptionSpec& option) {
  std::vector<std::string> notes;
  if (!option.choices.empty() && !option.value_name.empty()) {
    std::string joined;
    for (const auto& choice : option.choices) {
      joined += (joined.empty() ? "" : ", ") + choice;
    }
    notes.push_back("choices: " + joined);
  }
  if (option.default_value) {
    notes.push_back("default: " + *option.default_value);
  }
  if (option.repeatable) {
    notes.push_back("repeatable");
  }
  std::string text = option.help;
  if (!notes.empty()) {
    text += " (";
    for (size_t i = 0; i < notes.size(); ++i) {
      text += (i > 0 ? "; " : "") + notes[i];
    }
    text += ")";
  }
  return text;
}

std::string argument_synopsis(const ArgumentSpec& argument) {
  std::string text = argument.name + (argument.variadic ? "..." : "");
  return argument.required ? text : "[" + text + "]";
}

}  // namespace

std::string format_main_help(const CommandRegistry& commands, const PluginCatalog& catalog) {
  std::string text = "Usage: aai [OPTIONS] COMMAND [ARGS]...\n\n";
  text += "AssemblyAI's speech services on the command line.\n\n";
  text += "Options:\n" + format_rows(global_option_rows());

  std::vector<const Command*> built_in;
  for (const auto& command : commands.commands()) {
    if (command.plugin_name.empty()) {
      built_in.push_back(&command);
    }
  }
  text += "\nBuilt-in commands:\n" + format_rows(command_rows(built_in));

  for (const auto& plugin : catalog.loaded) {
    std::vector<const Command*> owned;
    for (const auto& command : commands.commands()) {
      if (command.plugin_name == plugin.name) {
        owned.push_back(&command);
      }
    }
    if (owned.empty()) {
      continue;
    }
    std::string heading = plugin.summary.empty() ? plugin.name : plugin.summary;
    text += "\n" + heading + " (plugin " + plugin.name + "):\n" + format_rows(command_rows(owned));
  }
  return text + "\nRun `aai COMMAND --help` for a command's options.\n";
}

std::string format_command_help(const CommandSpec& spec) {
  std::string text = "Usage: aai " + spec.name + " [OPTIONS]";
  for (const auto& argument : spec.arguments) {
    text += " " + argument_synopsis(argument);
  }
  text += "\n\n" + spec.summary + "\n";
  if (!spec.description.empty()) {
    text += "\n" + spec.description + "\n";
  }
  if (!spec.arguments.empty()) {
    Rows rows;
    for (const auto& argument : spec.arguments) {
      rows.emplace_back(argument.name, argument.help + (argument.required ? "" : " (optional)"));
    }
    text += "\nArguments:\n" + format_rows(rows);
  }
  Rows rows;
  for (const auto& option : spec.options) {
    rows.emplace_back(option_left(option), option_right(option));
  }
  rows.emplace_back("-j, --json", "Print results and errors as JSON.");
  rows.emplace_back("-h, --help", "Print this help and exit.");
  text += "\nOptions:\n" + format_rows(rows);
  return text + "\nGlobal options such as --env go before the command name; see `aai --help`.\n";
}

std::string format_group_help(const std::string& prefix,
                              const std::vector<const Command*>& subcommands) {
  std::string text = "Usage: aai " + prefix + " COMMAND [ARGS]...\n\nCommands:\n";
  text += format_rows(command_rows(subcommands));
  return text + "\nRun `aai " + prefix + " COMMAND --help` for a command's options.\n";
}

}  // namespace aai::host
