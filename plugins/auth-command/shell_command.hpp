// Runs a command line through /bin/sh with its stdout captured, a time limit and a cap on the
// output size.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace auth_command {

/// A command line to run and the limits it runs within.
struct ShellCommand {
  /// Passed to `/bin/sh -c` unchanged, as git does with credential helpers.
  std::string command_line;

  /// Variables added to the inherited environment, replacing inherited ones of the same name.
  std::vector<std::pair<std::string, std::string>> extra_environment;

  /// Time from the start until the process group is killed.
  std::chrono::milliseconds timeout{30000};

  /// Stdout beyond this many bytes stops the command.
  size_t max_output_bytes = 64 * 1024;

  /// Called about every 50 ms while the command runs; returning true kills it.
  std::function<bool()> is_interrupted;
};

/// The way a shell command ended, and its output.
struct ShellResult {
  enum class Outcome {
    /// The shell exited, and `status` is its exit status.
    kExited,
    /// A signal ended the shell, and `status` is the signal number.
    kSignaled,
    kTimedOut,
    /// Stdout went past max_output_bytes.
    kOutputTooLarge,
    kInterrupted,
  };

  Outcome outcome = Outcome::kExited;
  int status = 0;

  /// Captured stdout. Empty unless the outcome is kExited or kSignaled.
  std::string output;
};

/// Runs `command` in a new process group with stdin from /dev/null, stdout captured and stderr
/// inherited, and waits for it. On timeout, oversized output or interruption it kills the whole
/// group with SIGKILL. Throws std::system_error when the shell cannot be started.
ShellResult run_shell_command(const ShellCommand& command);

}  // namespace auth_command
