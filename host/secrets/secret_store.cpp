#include "secrets/secret_store.hpp"

#include "atomic_file.hpp"
#include "cli_error.hpp"
#include "secrets/file_secret_backend.hpp"
#include "secrets/keyring_secret_backend.hpp"

#include <cstdlib>
#include <fstream>

namespace aai::host {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kLogSource = "aai";

const char* kind_word(SecretBackendKind kind) {
  return kind == SecretBackendKind::kKeyring ? "keyring" : "file";
}

std::string read_first_word(const fs::path& file) {
  std::ifstream stream(file);
  std::string word;
  stream >> word;
  return word;
}

}  // namespace

SecretStoreChoice parse_secret_store_choice(const std::optional<std::string>& value) {
  if (!value || value->empty() || *value == "auto") {
    return SecretStoreChoice::kAuto;
  }
  if (*value == "keyring") {
    return SecretStoreChoice::kKeyring;
  }
  if (*value == "file") {
    return SecretStoreChoice::kFile;
  }
  throw CliError(2, "invalid_config",
                 "Invalid value '" + *value +
                     "' for core.secret_store: expected auto, keyring or "
                     "file.",
                 "Run `aai config set core.secret_store auto`.");
}

SecretBackendSources default_secret_backend_sources(const fs::path& data_folder) {
  SecretBackendSources sources;
  sources.is_session_bus_reachable = [] {
    return is_session_bus_reachable(std::getenv("DBUS_SESSION_BUS_ADDRESS"),
                                    std::getenv("XDG_RUNTIME_DIR"));
  };
  sources.open_keyring = []() -> std::unique_ptr<SecretBackend> {
    return std::make_unique<KeyringSecretBackend>(
        load_keyring_functions(executable_library_folder()));
  };
  sources.open_file = [path = data_folder / "secrets.json"]() -> std::unique_ptr<SecretBackend> {
    return std::make_unique<FileSecretBackend>(path);
  };
  return sources;
}

std::unique_ptr<SecretBackend> select_secret_backend(
    SecretStoreChoice choice, const SecretBackendSources& sources,
    const std::function<void(const std::string&)>& log_fallback) {
  if (choice == SecretStoreChoice::kFile) {
    return sources.open_file();
  }
  try {
    // Without a reachable bus libsecret would ask GIO to autolaunch one, which leaves a stray
    // dbus-daemon behind, so the library is not even loaded.
    if (!sources.is_session_bus_reachable()) {
      throw keyring_unavailable(
          "no session bus (DBUS_SESSION_BUS_ADDRESS is unset and $XDG_RUNTIME_DIR/bus does not "
          "exist)");
    }
    std::unique_ptr<SecretBackend> keyring = sources.open_keyring();
    keyring->probe();
    return keyring;
  } catch (const SecretStoreError& error) {
    if (choice == SecretStoreChoice::kKeyring) {
      throw;
    }
    log_fallback(error.what());
  }
  return sources.open_file();
}

SecretStore::SecretStore(ConfigStore& config, LogSink& log, Output& output, fs::path data_folder,
                         SecretBackendSources sources)
    : config_(config),
      log_(log),
      output_(output),
      data_folder_(std::move(data_folder)),
      sources_(std::move(sources)) {}

SecretBackend& SecretStore::backend() {
  if (!backend_) {
    choice_ = parse_secret_store_choice(config_.get("core", "secret_store"));
    backend_ = select_secret_backend(choice_, sources_, [this](const std::string& reason) {
      log_.write(kLogSource, AAI_LOG_INFO, "Keeping secrets in a file. " + reason);
    });
  }
  return *backend_;
}

void SecretStore::announce(const SecretBackend& backend) {
  if (announced_ || output_.is_quiet()) {
    return;
  }
  announced_ = true;
  fs::path marker = data_folder_ / "secret-store";
  std::string word = kind_word(backend.kind());
  if (read_first_word(marker) == word) {
    return;
  }
  std::string note = "Keeping secrets in the Secret Service keyring.";
  if (backend.kind() == SecretBackendKind::kFile) {
    note = "Keeping secrets in " + backend.file_path().string() + " (readable only by you)";
    note += choice_ == SecretStoreChoice::kAuto ? ": no Secret Service answered." : ".";
  }
  output_.message(AAI_MESSAGE_NOTE, note);
  try {
    write_private_file(marker, word + "\n");
  } catch (const PrivateFileError& error) {
    log_.write(kLogSource, AAI_LOG_DEBUG,
               "Could not write " + marker.string() + ": " + error.what() + ".");
  }
}

std::optional<std::string> SecretStore::lookup(const std::string& service,
                                               const std::string& account) {
  std::optional<std::string> value = backend().lookup(service, account);
  if (value) {
    log_.add_secret(*value);
  }
  return value;
}

void SecretStore::store(const std::string& service, const std::string& account,
                        const std::string& label, const std::string& value) {
  log_.add_secret(value);
  SecretBackend& selected = backend();
  selected.store(service, account, label, value);
  announce(selected);
}

bool SecretStore::remove(const std::string& service, const std::string& account) {
  return backend().remove(service, account);
}

std::string SecretStore::describe() {
  return backend().describe();
}

}  // namespace aai::host
