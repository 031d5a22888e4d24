// Secrets in the Secret Service keyring (GNOME Keyring, KWallet), through libaai-secrets.so.
#pragma once

#include "secrets/keyring_functions.hpp"
#include "secrets/secret_backend.hpp"

#include <filesystem>

namespace aai::host {

/// Returns whether a session bus can be reached without starting one: DBUS_SESSION_BUS_ADDRESS
/// is set, or $XDG_RUNTIME_DIR/bus exists. The arguments are the variables' values or NULL.
bool is_session_bus_reachable(const char* bus_address, const char* runtime_dir);

/// Loads libaai-secrets.so from `library_folder` on the first call and returns its functions;
/// the library stays loaded until the process exits. Throws SecretStoreError when it cannot be
/// loaded.
const AaiKeyringFunctions& load_keyring_functions(const std::filesystem::path& library_folder);

/// Returns lib/aai next to the running executable's bin folder.
std::filesystem::path executable_library_folder();

class KeyringSecretBackend final : public SecretBackend {
 public:
  explicit KeyringSecretBackend(const AaiKeyringFunctions& functions);

  std::optional<std::string> lookup(const std::string& service,
                                    const std::string& account) override;
  void store(const std::string& service, const std::string& account, const std::string& label,
             const std::string& value) override;
  bool remove(const std::string& service, const std::string& account) override;
  std::string describe() const override { return "the Secret Service keyring"; }
  SecretBackendKind kind() const override { return SecretBackendKind::kKeyring; }

  /// Looks up an entry that never exists; throws SecretStoreError when the Secret Service does
  /// not answer.
  void probe() override;

 private:
  const AaiKeyringFunctions& functions_;
};

/// The error for a Secret Service that did not answer, with `reason` from libsecret or D-Bus.
SecretStoreError keyring_unavailable(const std::string& reason);

}  // namespace aai::host
