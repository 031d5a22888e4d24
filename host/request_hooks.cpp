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
                                         const std::optional<std::string>& configured) const {
  std::vector<const Provider*> candidates;
  std::string names;
  for (const auto& provider : providers_) {
    if (provider.role == role) {
      candidates.push_back(&provider);
      names +=
          (names.empty() ? "" : ", ") + provider.name + " (" + provider.plugin_file.string() + ")";
    }
  }
  std::string set_hint = "Pick one with `aai config set providers." + role + " NAME`.";
  if (configured && !configured->empty()) {
    for (const Provider* provider : candidates) {
      if (provider->name == *configured) {
        return provider;
      }
    }
    throw CliError(2, "invalid_config",
                   "The config selects provider '" + *configured + "' for " + role +
                       ", but no plugin provides it" +
                       (candidates.empty() ? std::string(".") : "; installed: " + names + "."),
                   candidates.empty() ? "Remove it with `aai config unset providers." + role + "`."
                                      : set_hint);
  }
  if (candidates.size() > 1) {
    throw CliError(2, "invalid_config", "Several plugins provide " + role + ": " + names + ".",
                   set_hint);
  }
  return candidates.empty() ? nullptr : candidates.front();
}

}  // namespace aai::host
