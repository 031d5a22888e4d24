#include "plugin_specs.hpp"

#include "cli_error.hpp"
#include "option_parser.hpp"
#include "url_origin.hpp"

#include <algorithm>
#include <cstddef>
#include <stdexcept>

namespace aai::host {

namespace {

std::string text_or_empty(const char* text) {
  return text != nullptr ? text : "";
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

std::vector<std::string> split_choices(const std::string& choices) {
  std::vector<std::string> values;
  if (choices.empty()) {
    return values;
  }
  size_t start = 0;
  while (true) {
    size_t bar = choices.find('|', start);
    values.push_back(choices.substr(start, bar - start));
    if (bar == std::string::npos) {
      return values;
    }
    start = bar + 1;
  }
}

OptionSpec copy_option(const aai_option_spec_t& raw, const std::string& command) {
  std::string where = " in command '" + command + "'";
  if (raw.struct_size < offsetof(aai_option_spec_t, help) + sizeof raw.help ||
      raw.name == nullptr) {
    throw std::invalid_argument("incomplete option spec" + where);
  }
  OptionSpec option;
  option.name = raw.name;
  if (!is_valid_word(option.name) || option.name == "help" || option.name == "json") {
    throw std::invalid_argument("invalid option name '" + option.name + "'" + where);
  }
  bool short_ok =
      raw.short_name == 0 || (std::isalnum(static_cast<unsigned char>(raw.short_name)) &&
                              raw.short_name != 'h' && raw.short_name != 'j');
  if (!short_ok) {
    throw std::invalid_argument("invalid short name for option --" + option.name + where);
  }
  if (raw.type < AAI_OPTION_FLAG || raw.type > AAI_OPTION_BOOLEAN) {
    throw std::invalid_argument("unknown type " + std::to_string(raw.type) + " of option --" +
                                option.name + where);
  }
  option.short_name = raw.short_name;
  option.type = raw.type;
  if (raw.default_value != nullptr) {
    option.default_value = raw.default_value;
  }
  option.value_name = text_or_empty(raw.value_name);
  option.choices = split_choices(text_or_empty(raw.choices));
  option.repeatable = raw.repeatable;
  option.help = text_or_empty(raw.help);

  bool is_switch = option.type == AAI_OPTION_FLAG || option.type == AAI_OPTION_BOOLEAN;
  bool has_empty_choice =
      std::find(option.choices.begin(), option.choices.end(), "") != option.choices.end();
  if ((is_switch && !option.choices.empty()) || has_empty_choice) {
    throw std::invalid_argument("invalid choices for option --" + option.name + where);
  }
  if (option.default_value && !is_switch) {
    try {
      check_option_value(option, *option.default_value);
    } catch (const CliError& error) {
      throw std::invalid_argument("invalid default for option --" + option.name + where + ": " +
                                  error.what());
    }
  }
  return option;
}

void check_unique_options(const std::vector<OptionSpec>& options, const std::string& command) {
  std::vector<std::string> names;
  std::string shorts;
  for (const auto& option : options) {
    names.push_back(option.name);
    if (option.type == AAI_OPTION_BOOLEAN) {
      names.push_back("no-" + option.name);
    }
    if (option.short_name != 0) {
      shorts += option.short_name;
    }
  }
  std::sort(names.begin(), names.end());
  std::sort(shorts.begin(), shorts.end());
  auto repeated = std::adjacent_find(names.begin(), names.end());
  if (repeated != names.end()) {
    throw std::invalid_argument("option --" + *repeated + " is declared twice in command '" +
                                command + "'");
  }
  if (std::adjacent_find(shorts.begin(), shorts.end()) != shorts.end()) {
    throw std::invalid_argument("a short option name is used twice in command '" + command + "'");
  }
}

std::vector<ArgumentSpec> copy_arguments(const aai_command_spec_t& spec,
                                         const std::string& command) {
  std::vector<ArgumentSpec> arguments;
  bool seen_optional = false;
  for (uint32_t i = 0; i < spec.argument_count; ++i) {
    const aai_argument_spec_t& raw = spec.arguments[i];
    if (raw.struct_size < offsetof(aai_argument_spec_t, variadic) + sizeof raw.variadic ||
        raw.name == nullptr || *raw.name == '\0') {
      throw std::invalid_argument("incomplete argument spec in command '" + command + "'");
    }
    ArgumentSpec argument{raw.name, text_or_empty(raw.help), raw.required, raw.variadic};
    if (argument.variadic && i + 1 != spec.argument_count) {
      throw std::invalid_argument("argument " + argument.name + " in command '" + command +
                                  "' is variadic but not last");
    }
    if (argument.required && seen_optional) {
      throw std::invalid_argument("required argument " + argument.name + " in command '" + command +
                                  "' follows an optional one");
    }
    seen_optional = seen_optional || !argument.required;
    arguments.push_back(std::move(argument));
  }
  return arguments;
}

}  // namespace

bool is_valid_word(const std::string& name) {
  return !name.empty() && name[0] != '-' && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

CommandSpec copy_command_spec(const aai_command_spec_t* spec) {
  if (spec == nullptr || spec->struct_size < offsetof(aai_command_spec_t, run) + sizeof spec->run) {
    throw std::invalid_argument("incomplete command spec");
  }
  CommandSpec copy;
  copy.name = text_or_empty(spec->name);
  if (!is_valid_command_name(copy.name)) {
    throw std::invalid_argument("invalid command name '" + copy.name +
                                "': use lower-case words separated by single spaces");
  }
  if (spec->run == nullptr) {
    throw std::invalid_argument("command '" + copy.name + "' has no run function");
  }
  if ((spec->option_count > 0 && spec->options == nullptr) ||
      (spec->argument_count > 0 && spec->arguments == nullptr)) {
    throw std::invalid_argument("command '" + copy.name + "' counts specs it does not pass");
  }
  copy.summary = text_or_empty(spec->summary);
  copy.description = text_or_empty(spec->description);
  for (uint32_t i = 0; i < spec->option_count; ++i) {
    copy.options.push_back(copy_option(spec->options[i], copy.name));
  }
  check_unique_options(copy.options, copy.name);
  copy.arguments = copy_arguments(*spec, copy.name);
  return copy;
}

Environment copy_environment(const char* name, const char* summary, const aai_field_t* fields,
                             uint32_t field_count) {
  Environment environment;
  environment.name = text_or_empty(name);
  if (!is_valid_word(environment.name)) {
    throw std::invalid_argument("invalid environment name '" + environment.name + "'");
  }
  environment.summary = text_or_empty(summary);
  if (field_count > 0 && fields == nullptr) {
    throw std::invalid_argument("environment '" + environment.name + "' has no fields");
  }
  for (uint32_t i = 0; i < field_count; ++i) {
    if (fields[i].name == nullptr || fields[i].value == nullptr) {
      throw std::invalid_argument("environment '" + environment.name + "' has an empty field");
    }
    std::string field = fields[i].name;
    std::string value = fields[i].value;
    if (field.ends_with("_base") && !parse_origin(value)) {
      throw std::invalid_argument("field " + field + " of environment '" + environment.name +
                                  "' is not an absolute URL: '" + value + "'");
    }
    std::erase_if(environment.fields, [&](const auto& entry) { return entry.first == field; });
    environment.fields.emplace_back(field, value);
  }
  if (environment.field("api_base") == nullptr) {
    throw std::invalid_argument("environment '" + environment.name + "' has no api_base");
  }
  return environment;
}

}  // namespace aai::host
