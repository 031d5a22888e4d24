#include "application.hpp"

#include "default_environment.hpp"
#include "help_text.hpp"
#include "option_parser.hpp"
#include "plugin_manifest.hpp"
#include "secrets/file_secret_backend.hpp"
#include "service_tables.hpp"
#include "signals.hpp"
#include "suggestions.hpp"

#include <nlohmann/json.hpp>

#include <cstdlib>

#include <unistd.h>

namespace aai::host {

namespace {

constexpr const char* kCredentialsRole = AAI_PROVIDER_CREDENTIALS;
constexpr const char* kCredentialProviderKey = "core.credential_provider";

// core.credential_provider wins; providers.aai.credentials is the older generic spelling and
// counts only while core.credential_provider is unset.
std::optional<ProviderChoice> credential_provider_choice(ConfigStore& config) {
  if (auto name = config.get("core", "credential_provider"); name && !name->empty()) {
    return ProviderChoice{*name, kCredentialProviderKey};
  }
  if (auto name = config.get("providers", kCredentialsRole); name && !name->empty()) {
    return ProviderChoice{*name, std::string("providers.") + kCredentialsRole};
  }
  return std::nullopt;
}

bool progress_allowed(const GlobalOptions& options) {
  return ::isatty(2) == 1 && !options.quiet && !options.json;
}

TransportFactory default_transport_factory() {
  return []() -> std::unique_ptr<HttpTransport> {
#ifdef AAI_HAVE_NET_LOADER
    std::error_code error;
    auto executable = std::filesystem::read_symlink("/proc/self/exe", error);
    return load_http_transport(executable.parent_path().parent_path() / "lib" / "aai");
#else
    throw std::runtime_error("this build of aai has no network library");
#endif
  };
}

std::string join_words(const std::vector<std::string>& words, size_t count) {
  std::string text;
  for (size_t i = 0; i < count && i < words.size(); ++i) {
    text += (i > 0 ? " " : "") + words[i];
  }
  return text;
}

}  // namespace

const char* host_version() {
  return AAI_VERSION;
}

Application::Application(GlobalOptions options, std::filesystem::path config_path,
                         std::ostream& messages, int stdout_fd)
    : options_(std::move(options)),
      messages_(messages),
      log_(messages, options_.verbosity, options_.quiet),
      output_(stdout_fd, messages, options_.json, options_.quiet),
      progress_(messages, progress_allowed(options_)),
      config_(std::move(config_path)),
      transport_factory_(default_transport_factory()),
      http_(*this, hooks_, log_, [this] { return transport_factory_(); }),
      stdout_fd_(stdout_fd) {}

const std::string& Application::profile() {
  if (!profile_) {
    if (options_.profile) {
      profile_ = *options_.profile;
    } else {
      std::string stored = config_.get("core", "active_profile").value_or("");
      if (!stored.empty()) {
        check_profile_name(stored);
      }
      profile_ = stored.empty() ? "default" : stored;
    }
  }
  return *profile_;
}

const EnvironmentSelection& Application::environment_selection() {
  if (!environment_) {
    std::optional<std::string> profile_env;
    bool needs_profile = !options_.env && !options_.sandbox && std::getenv("AAI_ENV") == nullptr;
    if (needs_profile) {
      profile_env = config_.get("profile." + profile(), "env");
    }
    EnvironmentSelection selection =
        select_environment(options_.env, options_.sandbox, std::getenv("AAI_ENV"), profile_env,
                           default_environment_name());
    if (!environments_.all().empty() || selection.source != "default") {
      environments_.require(selection.name);
    }
    environment_ = selection;
  }
  return *environment_;
}

bool Application::switch_environment(const std::string& name) {
  if (environments_.find(name) == nullptr) {
    return false;
  }
  bool named_by_option = options_.env && *options_.env == name;
  environment_ = EnvironmentSelection{name, named_by_option ? "--env" : "command"};
  return true;
}

SecretStore& Application::secrets() {
  if (!secrets_) {
    std::filesystem::path data_folder =
        default_data_folder(std::getenv("XDG_DATA_HOME"), std::getenv("HOME"));
    secrets_ = std::make_unique<SecretStore>(config_, log_, output_, data_folder,
                                             default_secret_backend_sources(data_folder));
  }
  return *secrets_;
}

const Environment* Application::active_environment() {
  if (environments_.all().empty() && !options_.env && !options_.sandbox) {
    return nullptr;
  }
  return environments_.find(environment_selection().name);
}

const Provider* Application::credential_provider() {
  bool has_provider = false;
  for (const auto& provider : providers_.all()) {
    has_provider = has_provider || provider.role == kCredentialsRole;
  }
  if (!has_provider) {
    return nullptr;
  }
  return providers_.select(kCredentialsRole, credential_provider_choice(config_),
                           kCredentialProviderKey);
}

bool Application::is_interrupted() {
  return aai::host::is_interrupted();
}

const NetworkSettings& Application::network_settings() {
  // Plugins may send requests from several threads, and the first of them reads the settings.
  std::lock_guard lock(network_settings_mutex_);
  if (!network_settings_) {
    try {
      network_settings_ = read_network_settings(
          [this](const std::string& key) { return config_.get("network", key); },
          [](const char* name) { return static_cast<const char*>(std::getenv(name)); },
          config_.path().string());
    } catch (const NetworkSettingError& error) {
      throw CliError(2, "invalid_config", error.what(), error.suggestion());
    }
  }
  return *network_settings_;
}

PluginHost& Application::create_plugin_host(const std::string& plugin_name) {
  PluginHost& host = plugin_hosts_.emplace_back();
  host.plugin_name = plugin_name;
  host.application = this;
  host.raw.struct_size = sizeof host.raw;
  host.raw.abi_version = {AAI_ABI_VERSION_MAJOR, AAI_ABI_VERSION_MINOR, AAI_ABI_VERSION_PATCH};
  host.raw.host_data = &host;
  host.raw.get_service = &get_service;
  return host;
}

void Application::defer_error(const CliError& error) {
  if (!deferred_error_) {
    deferred_error_ = error;
  }
}

void Application::enable_json() {
  output_.set_json(true);
  progress_.set_enabled(false);
  options_.json = true;
}

const std::string& Application::keep(std::string text) {
  return kept_strings_.emplace_back(std::move(text));
}

int Application::run() {
  try {
    return dispatch();
  } catch (const CliError&) {
    throw;
  } catch (const std::exception& error) {
    throw CliError(1, "internal_error", std::string("Internal error: ") + error.what(),
                   "Run again with -vv and report the output.");
  }
}

int Application::dispatch() {
  for (const auto& warning : options_.warnings) {
    output_.warning(warning);
  }
  if (options_.version) {
    output_.write(std::string(host_version()) + "\n");
    return 0;
  }
  const auto& words = options_.command_words;
  if (words.empty()) {
    output_.write(format_main_help(commands_, catalog_));
    return 0;
  }
  auto match = commands_.find(words);
  if (!match) {
    return run_group_or_fail(words);
  }
  std::vector<std::string> rest(words.begin() + static_cast<long>(match->word_count), words.end());
  if (options_.help) {
    output_.write(format_command_help(match->command->spec));
    return 0;
  }
  return run_command(*match->command, rest);
}

int Application::print_group(const std::string& prefix,
                             const std::vector<const Command*>& subcommands, bool asked_for_help) {
  std::string text = format_group_help(prefix, subcommands);
  if (asked_for_help) {
    output_.write(text);
    return 0;
  }
  if (output_.is_json()) {
    nlohmann::json names = nlohmann::json::array();
    for (const Command* command : subcommands) {
      names.push_back(command->spec.name);
    }
    throw CliError(2, "usage_error", "`aai " + prefix + "` needs a subcommand.",
                   "Run `aai " + prefix + " --help` to list them.",
                   nlohmann::json{{"commands", names}}.dump());
  }
  messages_ << text << std::flush;
  return 2;
}

int Application::run_group_or_fail(const std::vector<std::string>& words) {
  for (size_t count = words.size(); count > 0; --count) {
    std::string prefix = join_words(words, count);
    auto subcommands = commands_.subcommands(prefix);
    if (subcommands.empty()) {
      continue;
    }
    bool asked_for_help = options_.help;
    size_t next = count;
    for (; next < words.size() && words[next].starts_with("-"); ++next) {
      if (words[next] == "-h" || words[next] == "--help") {
        asked_for_help = true;
      } else if (words[next] == "-j" || words[next] == "--json") {
        enable_json();
      } else {
        throw usage_error("Unknown option '" + words[next] + "' for `aai " + prefix + "`.",
                          "Run `aai " + prefix + " --help` to list its commands.");
      }
    }
    if (next == words.size()) {
      return print_group(prefix, subcommands, asked_for_help);
    }
    // Compare only the word after the group, so the shared prefix does not make every
    // sibling look close.
    std::vector<std::string> rest_names;
    for (const Command* command : subcommands) {
      rest_names.push_back(command->spec.name.substr(prefix.size() + 1));
    }
    std::vector<std::string> matches = closest_matches(words[next], rest_names);
    for (auto& match : matches) {
      match = prefix + " " + match;
    }
    std::string typed = prefix + " " + words[next];
    std::string suggestion = did_you_mean(matches);
    throw usage_error(
        "Unknown command '" + typed + "'.",
        suggestion.empty() ? "Run `aai " + prefix + "` to list its commands." : suggestion);
  }
  throw_if_skipped_plugin_command(words[0]);
  std::string suggestion = did_you_mean(closest_matches(words[0], commands_.names_and_groups()));
  throw usage_error("Unknown command '" + words[0] + "'.",
                    suggestion.empty() ? "Run `aai --help` to list the commands." : suggestion);
}

void Application::throw_if_skipped_plugin_command(const std::string& word) const {
  // Only the files that were skipped are read, and only on this error path, so a normal start
  // never reads manifests.
  for (const auto& skipped : catalog_.skipped) {
    ManifestReading reading = read_plugin_manifest(skipped.file);
    if (reading.state != ManifestReading::State::valid) {
      continue;
    }
    for (const auto& command : reading.manifest.commands) {
      if (command == word || command.rfind(word + " ", 0) == 0) {
        throw CliError(1, "plugin_skipped",
                       "The command '" + word + "' comes from the plugin " + skipped.file.string() +
                           ", which was skipped: " + skipped.reason + ".",
                       "Fix the plugin file as the reason says; `aai plugins list` shows every "
                       "skipped file.");
      }
    }
  }
}

int Application::run_handler(const Command& command, const ParsedCommandLine& line) {
  // A service call during plugin registration may have failed; only failures during this
  // command belong to it.
  deferred_error_.reset();
  int exit_code = 0;
  try {
    exit_code = command.run(line);
  } catch (const CliError&) {
    // The plugin's own error is usually a consequence of the service failure (an unknown
    // environment reads as "no environment"), so the service failure is the one to report.
    progress_.clear();
    if (deferred_error_) {
      throw *deferred_error_;
    }
    throw;
  }
  progress_.clear();
  if (deferred_error_) {
    throw *deferred_error_;
  }
  return exit_code;
}

int Application::run_command(const Command& command, const std::vector<std::string>& words) {
  if (!command.conflicting_files.empty()) {
    std::string files = command.plugin_file.string();
    for (const auto& file : command.conflicting_files) {
      files += " and " + file.string();
    }
    throw CliError(
        1, "plugin_conflict",
        "The command '" + command.spec.name + "' is registered by several plugins: " + files + ".",
        "Remove one of these files, then run the command again.");
  }
  CommandLineParse parsed = parse_command_line(command.spec, words);
  if (parsed.json) {
    enable_json();
  }
  if (parsed.help) {
    output_.write(format_command_help(command.spec));
    return 0;
  }
  int exit_code = run_handler(command, parsed.line);
  if (output_.is_stdout_closed()) {
    return 0;
  }
  return exit_code;
}

}  // namespace aai::host
