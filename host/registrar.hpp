// The aai_registrar_t a plugin fills during register_plugin. Registrations are staged and only
// committed when the whole registration succeeds, so a failing plugin adds nothing.
#pragma once

#include "application.hpp"

#include <aai/plugin.h>

#include <filesystem>
#include <string>
#include <vector>

namespace aai::host {

struct StagedCommand {
  CommandSpec spec;
  aai_command_run_fn run = nullptr;
  void* context = nullptr;
};

struct Registration {
  PluginHost* host = nullptr;
  std::filesystem::path file;
  std::vector<StagedCommand> commands;
  std::vector<Environment> environments;
  std::vector<RequestHook> hooks;
  std::vector<Provider> providers;

  /// Reason the first rejected spec was rejected; empty when every spec was valid.
  std::string rejection;
};

/// Returns a registrar whose calls stage into `registration`.
aai_registrar_t make_registrar(Registration& registration);

/// Adds the staged registrations to the application. Names another plugin already registered
/// keep the first registration and print a warning naming both files, except for environments
/// where one side is replaceable: the other side wins, logged at -v. Returns the names of the
/// commands added.
std::vector<std::string> commit_registration(Application& application, Registration& registration);

/// Returns the warning for a command that a plugin registers when `first` (empty for a built-in
/// command) already has it.
std::string command_conflict_warning(const std::filesystem::path& first,
                                     const std::filesystem::path& second, const std::string& name);

}  // namespace aai::host
