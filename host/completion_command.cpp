// The built-in `aai completion SHELL` command.
#include "builtin_commands.hpp"

#include "cli_error.hpp"
#include "completion_model.hpp"
#include "completion_scripts.hpp"
#include "global_options.hpp"
#include "suggestions.hpp"

#include <algorithm>
#include <set>

namespace aai::host {

namespace {

// Printed by `aai help completion` and `aai completion --help`; docs/completion.md repeats these steps.
constexpr const char* kDescription =
    "The script completes command names word by word, options, their fixed choices, the "
    "environment names for --env, the profile names for -p, and file names where a command takes "
    "a file. It contains the commands of the plugins loaded now and runs no aai code while it "
    "completes, so generate it again after adding or removing a plugin or an environment.\n"
    "\n"
    "Install it for bash (this folder needs the bash-completion package):\n"
    "  mkdir -p ~/.local/share/bash-completion/completions\n"
    "  aai completion bash > ~/.local/share/bash-completion/completions/aai\n"
    "or without that package, add this line to ~/.bashrc:\n"
    "  source <(aai completion bash)\n"
    "\n"
    "Install it for zsh:\n"
    "  mkdir -p ~/.zfunc && aai completion zsh > ~/.zfunc/_aai\n"
    "and in ~/.zshrc, put this line before compinit:\n"
    "  fpath=(~/.zfunc $fpath)\n"
    "\n"
    "Install it for fish:\n"
    "  mkdir -p ~/.config/fish/completions\n"
    "  aai completion fish > ~/.config/fish/completions/aai.fish\n"
    "\n"
    "Then start a new shell.";

std::vector<std::string> environment_names(Application& app) {
  std::vector<std::string> names;
  for (const auto& environment : app.environments().all()) {
    names.push_back(environment.name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Returns "default", the stored active profile and every profile with a section in the config
// file, sorted. A config file that does not parse leaves only "default", with a warning.
std::vector<std::string> profile_names(Application& app) {
  std::set<std::string> names = {"default"};
  const std::string section_prefix = "profile.";
  try {
    for (const auto& [section, entry] : app.config().entries()) {
      std::string name = section.substr(0, section_prefix.size()) == section_prefix
                             ? section.substr(section_prefix.size())
                             : "";
      if (is_valid_profile_name(name)) {
        names.insert(name);
      }
    }
    std::string active = app.config().get("core", "active_profile").value_or("");
    if (is_valid_profile_name(active)) {
      names.insert(active);
    }
  } catch (const CliError& error) {
    app.output().warning(std::string(error.what()) +
                         " The completion script offers only the profile 'default'.");
  }
  return {names.begin(), names.end()};
}

// Returns "aai 0.1.0 with the plugins local, transcribe", for the script's header.
std::string script_origin(Application& app) {
  std::string plugins;
  for (const auto& plugin : app.catalog().loaded) {
    plugins += (plugins.empty() ? "" : ", ") + plugin.name;
  }
  std::string origin = std::string("aai ") + host_version();
  return plugins.empty() ? origin + " without plugins" : origin + " with the plugins " + plugins;
}

int run_completion(Application& app, const std::string& shell) {
  const auto& shells = completion_shell_names();
  if (std::find(shells.begin(), shells.end(), shell) == shells.end()) {
    std::string suggestion = did_you_mean(closest_matches(shell, shells));
    throw usage_error(
        "Unknown shell '" + shell + "': expected bash, zsh or fish.",
        suggestion.empty()
            ? "Run `aai completion bash`, `aai completion zsh` or `aai completion fish`."
            : suggestion);
  }
  CompletionModel model =
      build_completion_model(app.commands(), environment_names(app), profile_names(app));
  model.origin = script_origin(app);
  for (const auto& warning : model.left_out) {
    app.output().warning(warning);
  }
  if (shell == "bash") {
    app.output().write(generate_bash_script(model));
  } else if (shell == "zsh") {
    app.output().write(generate_zsh_script(model));
  } else {
    app.output().write(generate_fish_script(model));
  }
  return 0;
}

}  // namespace

void register_completion_command(Application& app) {
  Command command;
  command.spec = {"completion",
                  "Print a shell completion script for bash, zsh or fish.",
                  kDescription,
                  {},
                  {{"SHELL", "The shell to complete in: bash, zsh or fish.", true, false}}};
  command.run = [&app](const ParsedCommandLine& line) {
    return run_completion(app, line.arguments[0]);
  };
  app.commands().add(std::move(command));
}

}  // namespace aai::host
