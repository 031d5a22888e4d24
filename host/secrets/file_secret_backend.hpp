// Secrets in a private JSON file, for machines without a Secret Service.
#pragma once

#include "secrets/secret_backend.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>

namespace aai::host {

/// Returns $XDG_DATA_HOME/aai, or ~/.local/share/aai when XDG_DATA_HOME is unset or empty.
/// `xdg_data_home` and `home` are the variables' values or NULL.
std::filesystem::path default_data_folder(const char* xdg_data_home, const char* home);

/// Keeps secrets in one JSON object keyed by service, then account:
/// {"assemblyai-cli": {"default": "KEY"}}. The file has mode 0600 and is replaced atomically on
/// every change; a missing folder is created with mode 0700. Labels are not kept.
class FileSecretBackend final : public SecretBackend {
 public:
  explicit FileSecretBackend(std::filesystem::path path);

  std::optional<std::string> lookup(const std::string& service,
                                    const std::string& account) override;
  void store(const std::string& service, const std::string& account, const std::string& label,
             const std::string& value) override;
  bool remove(const std::string& service, const std::string& account) override;
  std::string describe() const override;
  SecretBackendKind kind() const override { return SecretBackendKind::kFile; }
  std::filesystem::path file_path() const override { return path_; }

 private:
  // Reads the file, or returns an empty object when it does not exist. Rejects a file that
  // other users can access, that another user owns, or that is not an object of objects of
  // strings.
  nlohmann::json read() const;
  void write(nlohmann::json& secrets) const;

  std::filesystem::path path_;
};

}  // namespace aai::host
