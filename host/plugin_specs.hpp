// Copies the C specs a plugin registers into host types, checking each one.
#pragma once

#include "command.hpp"
#include "environment_registry.hpp"

#include <aai/plugin.h>

namespace aai::host {

/// Copies a command spec. Throws std::invalid_argument whose message is the reason, such as
/// "invalid option name 'Bad' in command 'x'".
CommandSpec copy_command_spec(const aai_command_spec_t* spec);

/// Copies an environment. Throws std::invalid_argument when the name is invalid, api_base is
/// missing or a *_base field is not an absolute http(s) or ws(s) URL.
Environment copy_environment(const char* name, const char* summary, const aai_field_t* fields,
                             uint32_t field_count);

/// Returns whether `name` is lower-case letters, digits and '-', starting with a letter or
/// digit.
bool is_valid_word(const std::string& name);

}  // namespace aai::host
