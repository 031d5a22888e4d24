#include "builtin_commands.hpp"

#include "help_text.hpp"
#include "plugin_manifest.hpp"
#include "plugin_store_commands.hpp"
#include "suggestions.hpp"

#include <nlohmann/json.hpp>

#include <optional>

namespace aai::host {

namespace {

std::string dump(const nlohmann::ordered_json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string abi_text(const aai_abi_version_t& abi) {
  return std::to_string(abi.major) + "." + std::to_string(abi.minor) + "." +
         std::to_string(abi.patch);
}

int run_help(Application& app, const ParsedCommandLine& line) {
  if (line.arguments.empty()) {
    app.output().write(format_main_help(app.commands(), app.catalog()));
    return 0;
  }
  auto match = app.commands().find(line.arguments);
  if (match && match->word_count == line.arguments.size()) {
    app.output().write(format_command_help(match->command->spec));
    return 0;
  }
  std::string typed;
  for (const auto& word : line.arguments) {
    typed += (typed.empty() ? "" : " ") + word;
  }
  auto subcommands = app.commands().subcommands(typed);
  if (!subcommands.empty()) {
    app.output().write(format_group_help(typed, subcommands));
    return 0;
  }
  std::string suggestion = did_you_mean(closest_matches(typed, app.commands().names_and_groups()));
  throw usage_error("Unknown command '" + typed + "'.",
                    suggestion.empty() ? "Run `aai --help` to list the commands." : suggestion);
}

int run_version(Application& app) {
  std::string abi = abi_text({AAI_ABI_VERSION_MAJOR, AAI_ABI_VERSION_MINOR, AAI_ABI_VERSION_PATCH});
  if (app.output().is_json()) {
    app.output().write(dump({{"version", host_version()}, {"plugin_abi", abi}}));
  } else {
    app.output().write(std::string("aai ") + host_version() + " (plugin ABI " + abi + ")\n");
  }
  return 0;
}

// Returns "ROLE NAME" for each provider the plugin registered, in registration order.
std::vector<std::string> provider_names(const ProviderRegistry& providers,
                                        const std::string& plugin_name) {
  std::vector<std::string> names;
  for (const auto& provider : providers.all()) {
    if (provider.plugin_name == plugin_name) {
      names.push_back(provider.role + " " + provider.name);
    }
  }
  return names;
}

// Returns the items separated by ", ", or "none" for an empty list.
std::string list_text(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) {
    text += (text.empty() ? "" : ", ") + item;
  }
  return text.empty() ? "none" : text;
}

// Returns the manifest lines of one plugin file, each starting with `indent`.
std::string manifest_text(const ManifestReading& reading, const std::string& indent) {
  switch (reading.state) {
    case ManifestReading::State::absent:
      return indent + "manifest: none\n";
    case ManifestReading::State::invalid:
      return indent + "manifest: invalid (" + reading.problem + ")\n";
    case ManifestReading::State::valid:
      break;
  }
  const PluginManifest& manifest = reading.manifest;
  return indent + "manifest: " + manifest.name + " " + manifest.version + " (ABI " + manifest.abi +
         ")\n" + indent + "  commands: " + list_text(manifest.commands) + "\n" + indent +
         "  needs: " + list_text(manifest.needs) + "\n";
}

// Returns the policy lines of `plugins list`: the policy in force, or why its file is invalid.
// Returns nothing when no policy applies.
std::string policy_text(const PluginCatalog& catalog) {
  const PolicyReading& reading = catalog.policy;
  switch (reading.state) {
    case PolicyReading::State::none:
      return "";
    case PolicyReading::State::invalid:
      return "\nPlugin policy: " + reading.file.string() + " is invalid (" + reading.problem +
             "); only the plugins in " + catalog.builtin_folder.string() + " load\n";
    case PolicyReading::State::in_force:
      break;
  }
  std::string text = "\nPlugin policy: " + reading.file.string();
  if (!reading.policy.set_by.empty()) {
    text += ", set by " + reading.policy.set_by;
  }
  text += "\n  allow: " + list_text(reading.policy.allowed_names) + "\n";
  text += "  allow_sha256: " + list_text(reading.policy.allowed_sha256) + "\n";
  return text;
}

// Returns the "policy" member of `plugins list --json`, or nullopt when no policy applies, which
// leaves the member out.
std::optional<nlohmann::ordered_json> policy_json(const PluginCatalog& catalog) {
  const PolicyReading& reading = catalog.policy;
  switch (reading.state) {
    case PolicyReading::State::none:
      return std::nullopt;
    case PolicyReading::State::invalid:
      return nlohmann::ordered_json{{"file", reading.file.string()}, {"error", reading.problem}};
    case PolicyReading::State::in_force:
      break;
  }
  return nlohmann::ordered_json{{"file", reading.file.string()},
                                {"set_by", reading.policy.set_by},
                                {"allow", reading.policy.allowed_names},
                                {"allow_sha256", reading.policy.allowed_sha256}};
}

std::string plugins_text(const PluginCatalog& catalog, const ProviderRegistry& providers) {
  std::string text;
  for (const auto& plugin : catalog.loaded) {
    text += plugin.name + " " + plugin.version + " (ABI " + abi_text(plugin.abi_version) + ")\n";
    text += "  " + plugin.summary + "\n";
    text += "  file: " + plugin.file.string() + "\n";
    text += "  commands: " + list_text(plugin.commands) + "\n";
    for (const auto& provider : provider_names(providers, plugin.name)) {
      text += "  provides: " + provider + "\n";
    }
    text += manifest_text(read_plugin_manifest(plugin.file), "  ");
  }
  if (catalog.loaded.empty()) {
    text += "No plugins loaded.\n";
  }
  if (!catalog.skipped.empty()) {
    text += "\nSkipped files:\n";
    for (const auto& skipped : catalog.skipped) {
      text += "  " + skipped.file.string() + ": " + skipped.reason + "\n";
      text += manifest_text(read_plugin_manifest(skipped.file), "    ");
    }
  }
  return text + policy_text(catalog);
}

// Returns the "manifest" member of `plugins list --json`: null when the file has none,
// {"error": REASON} when it is invalid, otherwise the manifest's members.
nlohmann::ordered_json manifest_json(const ManifestReading& reading) {
  switch (reading.state) {
    case ManifestReading::State::absent:
      return nullptr;
    case ManifestReading::State::invalid:
      return {{"error", reading.problem}};
    case ManifestReading::State::valid:
      break;
  }
  const PluginManifest& manifest = reading.manifest;
  return {{"name", manifest.name},         {"version", manifest.version},
          {"abi", manifest.abi},           {"summary", manifest.summary},
          {"commands", manifest.commands}, {"needs", manifest.needs}};
}

nlohmann::ordered_json plugins_json(const PluginCatalog& catalog,
                                    const ProviderRegistry& providers) {
  nlohmann::ordered_json loaded = nlohmann::ordered_json::array();
  for (const auto& plugin : catalog.loaded) {
    nlohmann::ordered_json provided = nlohmann::ordered_json::array();
    for (const auto& provider : providers.all()) {
      if (provider.plugin_name == plugin.name) {
        provided.push_back({{"role", provider.role}, {"name", provider.name}});
      }
    }
    loaded.push_back({{"name", plugin.name},
                      {"version", plugin.version},
                      {"abi", abi_text(plugin.abi_version)},
                      {"summary", plugin.summary},
                      {"file", plugin.file.string()},
                      {"commands", plugin.commands},
                      {"providers", provided},
                      {"manifest", manifest_json(read_plugin_manifest(plugin.file))}});
  }
  nlohmann::ordered_json skipped = nlohmann::ordered_json::array();
  for (const auto& entry : catalog.skipped) {
    skipped.push_back({{"file", entry.file.string()},
                       {"reason", entry.reason},
                       {"manifest", manifest_json(read_plugin_manifest(entry.file))}});
  }
  nlohmann::ordered_json result = {{"plugins", loaded}, {"skipped", skipped}};
  if (auto policy = policy_json(catalog)) {
    result["policy"] = std::move(*policy);
  }
  return result;
}

int run_plugins_list(Application& app) {
  if (app.output().is_json()) {
    app.output().write(dump(plugins_json(app.catalog(), app.providers())));
  } else {
    app.output().write(plugins_text(app.catalog(), app.providers()));
  }
  return 0;
}

void add_builtin(Application& app, CommandSpec spec, CommandHandler run) {
  Command command;
  command.spec = std::move(spec);
  command.run = std::move(run);
  app.commands().add(std::move(command));
}

}  // namespace

void register_builtin_commands(Application& app) {
  add_builtin(app,
              {"help",
               "Print help for aai or for a command.",
               "",
               {},
               {{"COMMAND", "The command to describe, such as `transcripts list`.", false, true}}},
              [&app](const ParsedCommandLine& line) { return run_help(app, line); });
  add_builtin(app, {"version", "Print the aai version and the plugin ABI it loads.", "", {}, {}},
              [&app](const ParsedCommandLine&) { return run_version(app); });
  add_builtin(app,
              {"plugins list",
               "List the loaded plugins and the files that were skipped.",
               "Shows each plugin's name, version, plugin ABI, file, commands and manifest, then "
               "every plugin file that was skipped, why, and what its manifest declares, then "
               "the administrator's plugin policy, when there is one.",
               {},
               {}},
              [&app](const ParsedCommandLine&) { return run_plugins_list(app); });
  register_plugin_store_commands(app);
  register_config_commands(app);
  register_completion_command(app);
}

}  // namespace aai::host
