#include "plugin_store_commands.hpp"

#include "cli_error.hpp"
#include "plugin_loader.hpp"
#include "sha256.hpp"

#include <nlohmann/json.hpp>

#include <deque>
#include <memory>
#include <sstream>

namespace aai::host {

namespace fs = std::filesystem;

namespace {

std::string dump(const nlohmann::ordered_json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

void add_builtin(Application& app, CommandSpec spec, CommandHandler run) {
  Command command;
  command.spec = std::move(spec);
  command.run = std::move(run);
  app.commands().add(std::move(command));
}

std::string join(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) {
    text += (text.empty() ? "" : ", ") + item;
  }
  return text.empty() ? "none" : text;
}

}  // namespace

PluginStoreContext make_store_context(Application& app) {
  const PluginCatalog& catalog = app.catalog();
  PluginStoreContext context;
  if (catalog.user_folder.empty()) {
    PluginLoadRules rules = plugin_load_rules_from_environment();
    context.folder = rules.user_folder;
    context.builtin_folder = rules.builtin_folder;
    context.policy = rules.policy;
  } else {
    context.folder = catalog.user_folder;
    context.builtin_folder = catalog.builtin_folder;
    context.policy = catalog.policy;
  }
  for (const auto& command : app.commands().commands()) {
    context.commands.push_back({command.spec.name, command.plugin_name, command.plugin_file});
  }
  context.loaded = catalog.loaded;
  context.trial_load = &load_plugin_once;
  return context;
}

namespace {

int run_install(Application& app, const ParsedCommandLine& line) {
  bool force = line.options.count("force") != 0;
  InstallResult result = install_plugin(make_store_context(app), line.arguments.at(0), force);
  const InstalledPlugin& plugin = result.plugin;
  if (app.output().is_json()) {
    app.output().write(dump({{"name", plugin.name},
                             {"version", plugin.version},
                             {"file", result.file.string()},
                             {"sha256", plugin.sha256},
                             {"commands", result.commands}}));
  } else {
    app.output().write("Installed " + plugin.name + " " + plugin.version + " (commands: " +
                       join(result.commands) + ") into " + result.file.string() + ".\n");
  }
  return 0;
}

int run_remove(Application& app, const ParsedCommandLine& line) {
  PluginStoreContext context = make_store_context(app);
  InstalledPlugin plugin = remove_plugin(context, line.arguments.at(0));
  fs::path file = context.folder / plugin.file_name();
  if (app.output().is_json()) {
    app.output().write(
        dump({{"name", plugin.name}, {"version", plugin.version}, {"file", file.string()}}));
  } else {
    app.output().write("Removed " + plugin.name + " " + plugin.version + " from " + file.string() +
                       ".\n");
  }
  return 0;
}

nlohmann::ordered_json nullable(const std::string& text) {
  return text.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(text);
}

std::string verify_line(const VerifiedPlugin& result) {
  std::string status = status_name(result.status);
  status.resize(10, ' ');
  std::string line =
      status + " " + result.plugin.name + " " + result.plugin.version + "  " + result.file.string();
  if (result.status == VerifiedPlugin::Status::changed) {
    line += " (SHA-256 " + short_digest(result.plugin.sha256) + " recorded, " +
            short_digest(result.sha256) + " now)";
  } else if (result.status == VerifiedPlugin::Status::unreadable) {
    line += " (" + result.problem + ")";
  }
  return line + "\n";
}

int run_verify(Application& app) {
  PluginStoreContext context = make_store_context(app);
  std::vector<VerifiedPlugin> results = verify_plugins(context.folder);
  std::vector<std::string> failed;
  // One sentence a failed plugin, naming the source path recorded at install, as the start-up
  // warning for a changed file does.
  std::string fixes;
  nlohmann::ordered_json entries = nlohmann::ordered_json::array();
  std::string text;
  for (const auto& result : results) {
    if (result.status != VerifiedPlugin::Status::ok) {
      failed.push_back(result.plugin.name);
      fixes += (fixes.empty() ? "" : " ") + std::string("Reinstall ") + result.plugin.name +
               " with `aai plugins install --force " + result.plugin.source +
               "`, or remove it with `aai plugins remove " + result.plugin.name + "`.";
    }
    entries.push_back({{"name", result.plugin.name},
                       {"version", result.plugin.version},
                       {"status", status_name(result.status)},
                       {"file", result.file.string()},
                       {"source", result.plugin.source},
                       {"recorded_sha256", result.plugin.sha256},
                       {"sha256", nullable(result.sha256)},
                       {"problem", nullable(result.problem)}});
    text += verify_line(result);
  }
  if (app.output().is_json()) {
    app.output().write(dump(entries));
  } else {
    app.output().write(results.empty() ? "No plugins are installed with `aai plugins install`.\n"
                                       : text);
  }
  if (!failed.empty()) {
    std::string names;
    for (const auto& name : failed) {
      names += (names.empty() ? "" : ", ") + name;
    }
    throw CliError(1, "plugins_changed",
                   "Installed plugins that no longer match their record: " + names + ".", fixes);
  }
  return 0;
}

// An application that one trial load registers into. It is never destroyed: the plugin's code
// stays loaded and may keep pointers to its host until exit.
struct TrialHost {
  std::ostringstream messages;
  std::unique_ptr<Application> application;
};

}  // namespace

TrialLoad load_plugin_once(const fs::path& file) {
  static auto* hosts = new std::deque<TrialHost>();
  TrialHost& host = hosts->emplace_back();
  // No config file and no stdout: registration needs neither, and a plugin that tries to use
  // them during registration gets nothing.
  host.application = std::make_unique<Application>(GlobalOptions{}, fs::path(), host.messages, -1);
  TrialLoad trial;
  if (load_plugin(*host.application, file)) {
    const LoadedPlugin& plugin = host.application->catalog().loaded.front();
    trial.loaded = true;
    trial.name = plugin.name;
    trial.commands = plugin.commands;
  } else {
    trial.reason = host.application->catalog().skipped.front().reason;
  }
  return trial;
}

void register_plugin_store_commands(Application& app) {
  add_builtin(app,
              {"plugins install",
               "Install a plugin file into your plugin folder.",
               "Checks the file without running it (ELF headers, manifest, plugin ABI, the "
               "plugin policy, and that its name and commands are free), copies it to "
               "$XDG_DATA_HOME/aai/plugins/NAME.so, loads the copy once, and records its "
               "SHA-256 in installed.json in that folder. NAME comes from the manifest.",
               {{"force",
                 0,
                 AAI_OPTION_FLAG,
                 std::nullopt,
                 "",
                 {},
                 false,
                 "Replace an installed plugin of the same name."}},
               {{"PATH", "The plugin's .so file.", true, false}}},
              [&app](const ParsedCommandLine& line) { return run_install(app, line); });
  add_builtin(app,
              {"plugins remove",
               "Remove a plugin installed with `aai plugins install`.",
               "Deletes NAME.so from your plugin folder and its entry in installed.json. "
               "Plugins from other folders are not touched.",
               {},
               {{"NAME", "The plugin's name, as `aai plugins list` shows it.", true, false}}},
              [&app](const ParsedCommandLine& line) { return run_remove(app, line); });
  add_builtin(app,
              {"plugins verify",
               "Check installed plugins against their recorded SHA-256.",
               "Prints ok, changed, missing or unreadable for each plugin in installed.json, "
               "and exits 1 when any is not ok.",
               {},
               {}},
              [&app](const ParsedCommandLine&) { return run_verify(app); });
}

}  // namespace aai::host
