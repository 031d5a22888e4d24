#include "command_registry.hpp"

#include <algorithm>
#include <set>

namespace aai::host {

const Command* CommandRegistry::add(Command command) {
  for (auto& existing : commands_) {
    if (existing.spec.name == command.spec.name) {
      // A built-in command always wins and keeps working; between plugins, the command fails
      // until the user removes one of the files, because either choice could be the wrong one.
      if (!existing.plugin_name.empty()) {
        existing.conflicting_files.push_back(command.plugin_file);
      }
      return &existing;
    }
  }
  commands_.push_back(std::move(command));
  return nullptr;
}

std::optional<CommandRegistry::Match> CommandRegistry::find(
    const std::vector<std::string>& words) const {
  std::optional<Match> best;
  std::string name;
  for (size_t count = 1; count <= words.size(); ++count) {
    name += (count > 1 ? " " : "") + words[count - 1];
    for (const auto& command : commands_) {
      if (command.spec.name == name) {
        best = Match{&command, count};
      }
    }
  }
  return best;
}

std::vector<const Command*> CommandRegistry::subcommands(const std::string& prefix) const {
  std::vector<const Command*> found;
  for (const auto& command : commands_) {
    if (command.spec.name.rfind(prefix + " ", 0) == 0) {
      found.push_back(&command);
    }
  }
  std::sort(found.begin(), found.end(),
            [](const Command* a, const Command* b) { return a->spec.name < b->spec.name; });
  return found;
}

std::vector<std::string> CommandRegistry::names_and_groups() const {
  std::set<std::string> names;
  for (const auto& command : commands_) {
    names.insert(command.spec.name);
    for (size_t space = command.spec.name.find(' '); space != std::string::npos;
         space = command.spec.name.find(' ', space + 1)) {
      names.insert(command.spec.name.substr(0, space));
    }
  }
  return {names.begin(), names.end()};
}

}  // namespace aai::host
