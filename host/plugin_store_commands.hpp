// The built-in commands that manage the user plugin folder: plugins install, remove and verify.
#pragma once

#include "application.hpp"
#include "plugin_store.hpp"

#include <filesystem>

namespace aai::host {

/// Registers plugins install, plugins remove and plugins verify.
void register_plugin_store_commands(Application& application);

/// Describes `application` to the store: the folders and policy the loader stored in its catalog
/// (read from the environment when no plugins were loaded), its commands and loaded plugins, and
/// load_plugin_once as the trial load.
PluginStoreContext make_store_context(Application& application);

/// Loads `file` once into an application of its own, as the loader would load it on a start
/// where it is the only plugin, and reports what happened. The plugin's code stays loaded until
/// the process exits.
TrialLoad load_plugin_once(const std::filesystem::path& file);

}  // namespace aai::host
