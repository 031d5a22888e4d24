// The registry of every command, built-in or from a plugin; drives both help and dispatch.
#pragma once

#include "command.hpp"

#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace aai::host {

class CommandRegistry {
 public:
  /// Adds a command. When the name is taken, the first command stays, the new file is recorded
  /// as a conflict on it, and the existing command is returned; otherwise returns nullptr.
  const Command* add(Command command);

  struct Match {
    const Command* command = nullptr;
    size_t word_count = 0;
  };

  /// Finds the command with the longest name made of the leading `words`.
  std::optional<Match> find(const std::vector<std::string>& words) const;

  /// Returns the commands whose name starts with `prefix` followed by a space, in name order.
  std::vector<const Command*> subcommands(const std::string& prefix) const;

  /// Returns every command in registration order.
  const std::deque<Command>& commands() const { return commands_; }

  /// Returns every command name and every group prefix, for "did you mean" suggestions.
  std::vector<std::string> names_and_groups() const;

 private:
  std::deque<Command> commands_;
};

}  // namespace aai::host
