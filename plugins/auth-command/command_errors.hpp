// The errors the auth-command provider reports, with their exact messages and suggestions.
#pragma once

#include <aai/plugin.hpp>

#include <chrono>
#include <string>
#include <system_error>

#include "credential_output.hpp"
#include "shell_command.hpp"

namespace auth_command {

/// Limit on a credential command's stdout, in bytes.
inline constexpr size_t kMaxOutputBytes = 64 * 1024;

/// not_authenticated (exit 4): `plugin.auth-command.command` is unset or blank.
aai::Error command_not_configured_error();

/// invalid_config (exit 2): `plugin.auth-command.timeout` is not a usable number of seconds.
aai::Error invalid_timeout_error(const std::string& value);

/// internal_error (exit 1): /bin/sh could not be started.
aai::Error command_start_error(const std::string& command_line, const std::system_error& error);

/// The error for a command that did not exit with status 0: not_authenticated (exit 4) for a
/// failure, a signal, a timeout or too much output, and interrupted (exit 130) for Ctrl-C.
aai::Error command_result_error(const std::string& command_line, const ShellResult& result,
                                std::chrono::milliseconds timeout);

/// not_authenticated (exit 4): the command exited with status 0 but its output is unusable. The
/// message never contains the output, which may be a secret.
aai::Error command_output_error(const std::string& command_line, OutputError error);

}  // namespace auth_command
