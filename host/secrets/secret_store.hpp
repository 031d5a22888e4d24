// The secret store behind aai.secrets/1: picks a backend from core.secret_store, announces it
// once, and registers every secret it handles with the log sink for masking.
#pragma once

#include "config_store.hpp"
#include "log_sink.hpp"
#include "output.hpp"
#include "secrets/secret_backend.hpp"

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace aai::host {

/// The values of core.secret_store.
enum class SecretStoreChoice { kAuto, kKeyring, kFile };

/// Parses core.secret_store: "auto", "keyring" or "file"; unset or empty means "auto". Throws
/// CliError exit 2 `invalid_config` naming the value and the choices.
SecretStoreChoice parse_secret_store_choice(const std::optional<std::string>& value);

/// The inputs of backend selection that depend on the machine. The defaults read the process
/// environment and load the real library; unit tests pass fakes.
struct SecretBackendSources {
  /// Returns whether a session bus can be reached without starting one.
  std::function<bool()> is_session_bus_reachable;

  /// Opens the Secret Service backend; throws SecretStoreError when its library cannot load.
  std::function<std::unique_ptr<SecretBackend>()> open_keyring;

  /// Opens the file backend.
  std::function<std::unique_ptr<SecretBackend>()> open_file;
};

/// Sources for this process: DBUS_SESSION_BUS_ADDRESS and XDG_RUNTIME_DIR, libaai-secrets.so
/// from lib/aai next to the executable, and `data_folder`/secrets.json.
SecretBackendSources default_secret_backend_sources(const std::filesystem::path& data_folder);

/// Picks the backend for `choice`. kAuto takes the keyring when a session bus is reachable and
/// a probe lookup succeeds, and the file otherwise, passing the reason to `log_fallback`.
/// kKeyring throws SecretStoreError when the keyring does not respond. Neither starts a bus.
std::unique_ptr<SecretBackend> select_secret_backend(
    SecretStoreChoice choice, const SecretBackendSources& sources,
    const std::function<void(const std::string&)>& log_fallback);

class SecretStore {
 public:
  /// `data_folder` is $XDG_DATA_HOME/aai; it contains the `secret-store` file that records
  /// which backend the user's last note named.
  SecretStore(ConfigStore& config, LogSink& log, Output& output, std::filesystem::path data_folder,
              SecretBackendSources sources);

  /// Each call throws SecretStoreError when the store fails, and CliError for an invalid
  /// core.secret_store.
  std::optional<std::string> lookup(const std::string& service, const std::string& account);
  void store(const std::string& service, const std::string& account, const std::string& label,
             const std::string& value);
  bool remove(const std::string& service, const std::string& account);
  std::string describe();

  /// Message and suggestion of the last failure, for aai_secrets_service_t::last_error.
  std::string& last_error_message() { return last_error_message_; }
  std::string& last_error_suggestion() { return last_error_suggestion_; }

  /// Storage for the text that aai_secrets_service_t::describe returns.
  std::string& description() { return description_; }

 private:
  SecretBackend& backend();
  void announce(const SecretBackend& backend);

  ConfigStore& config_;
  LogSink& log_;
  Output& output_;
  std::filesystem::path data_folder_;
  SecretBackendSources sources_;
  SecretStoreChoice choice_ = SecretStoreChoice::kAuto;
  std::unique_ptr<SecretBackend> backend_;
  bool announced_ = false;
  std::string last_error_message_;
  std::string last_error_suggestion_;
  std::string description_;
};

}  // namespace aai::host
