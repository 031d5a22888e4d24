// Pre-request hooks and providers registered by plugins.
#pragma once

#include <aai/plugin.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace aai::host {

struct RequestHook {
  const aai_host_t* host = nullptr;
  std::string plugin_name;
  void* context = nullptr;
  aai_pre_request_fn run = nullptr;
};

struct Provider {
  std::string role;
  std::string name;
  std::string summary;
  std::string plugin_name;
  std::filesystem::path plugin_file;
  const aai_host_t* host = nullptr;
  void* context = nullptr;
  aai_pre_request_fn pre_request = nullptr;
};

/// A provider picked by name in config.ini, and the key ("core.credential_provider") that did.
struct ProviderChoice {
  std::string name;
  std::string config_key;
};

class ProviderRegistry {
 public:
  /// Adds a provider. Returns the existing one when its role already has that name (the first
  /// stays), otherwise nullptr.
  const Provider* add(Provider provider);

  const std::vector<Provider>& all() const { return providers_; }

  /// Picks the provider for `role`: nullptr when there is none, the only one, or the one `choice`
  /// names. Throws CliError exit 2 `invalid_config` when several exist without a choice (the
  /// suggestion names `choice_key`, the key to set), or when `choice` names none of them.
  const Provider* select(const std::string& role, const std::optional<ProviderChoice>& choice,
                         const std::string& choice_key) const;

 private:
  std::vector<Provider> providers_;
};

}  // namespace aai::host
