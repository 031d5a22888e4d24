#include "request_hooks.hpp"

#include "cli_error.hpp"

namespace aai::host {

const Provider* ProviderRegistry::add(Provider provider) {
  for (const auto& existing : providers_) {
    if (existing.role == provider.role && existing.name == provider.name) {
      return &existing;
    }
  }
  providers_.push_back(std::move(provider));
  return nullptr;
}

const Provider* ProviderRegistry::select(const std::string& role,
                                         const std::optional<ProviderChoice>& choice,
                                         const std::string& choice_key) const {
  std::vector<const Provider*> candidates;
  std::string names;
  for (const auto& provider : providers_) {
    if (provider.role == role) {
      candidates.push_back(&provider);
      names += (names.empty() ? "" : ", ") + provider.name;
    }
  }
  std::string set_hint = "Pick one with `aai config set " + choice_key + " NAME`.";
  if (choice) {
    for (const Provider* provider : candidates) {
      if (provider->name == choice->name) {
        return provider;
      }
    }
    std::string prefix =
        choice->config_key + " is '" + choice->name + "', but no plugin provides " + role;
    if (candidates.empty()) {
      throw CliError(2, "invalid_config", prefix + ".",
                     "Remove it with `aai config unset " + choice->config_key + "`.");
    }
    throw CliError(2, "invalid_config", prefix + " under that name; installed: " + names + ".",
                   "Pick one with `aai config set " + choice->config_key + " NAME`.");
  }
  if (candidates.size() > 1) {
    throw CliError(2, "invalid_config", "Several plugins provide " + role + ": " + names + ".",
                   set_hint);
  }
  return candidates.empty() ? nullptr : candidates.front();
}

}  // namespace aai::host
