// The interface every place that keeps secrets implements: the Secret Service keyring, the
// private file, and the fakes of the unit tests.
#pragma once

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

namespace aai::host {

/// A secret store failure the user can act on: the message names what failed, the suggestion
/// gives the next step (may be empty).
class SecretStoreError : public std::runtime_error {
 public:
  explicit SecretStoreError(const std::string& message, std::string suggestion = {})
      : std::runtime_error(message), suggestion_(std::move(suggestion)) {}

  const std::string& suggestion() const { return suggestion_; }

 private:
  std::string suggestion_;
};

/// The kind of store a backend is, as recorded in $XDG_DATA_HOME/aai/secret-store.
enum class SecretBackendKind { kKeyring, kFile };

/// Secrets addressed by a service name ("assemblyai-cli") and an account ("default"). Every
/// method throws SecretStoreError when the store cannot be read or written.
class SecretBackend {
 public:
  virtual ~SecretBackend() = default;

  /// Returns the stored secret, or nullopt when none is stored.
  virtual std::optional<std::string> lookup(const std::string& service,
                                            const std::string& account) = 0;

  /// Stores `value`, replacing what was there. `label` is what keyring tools show.
  virtual void store(const std::string& service, const std::string& account,
                     const std::string& label, const std::string& value) = 0;

  /// Removes the secret and returns whether one was stored.
  virtual bool remove(const std::string& service, const std::string& account) = 0;

  /// Names the store for users: "the Secret Service keyring" or "the file PATH".
  virtual std::string describe() const = 0;

  virtual SecretBackendKind kind() const = 0;

  /// Returns the file that contains the secrets, or an empty path for a keyring.
  virtual std::filesystem::path file_path() const { return {}; }

  /// Throws SecretStoreError unless the store works. The file backend always works until it is
  /// used; the keyring backend makes one lookup.
  virtual void probe() {}
};

}  // namespace aai::host
