#include "environment_registry.hpp"

#include "cli_error.hpp"

#include <nlohmann/json.hpp>

namespace aai::host {

const std::string* Environment::field(const std::string& field_name) const {
  for (const auto& [key, value] : fields) {
    if (key == field_name) {
      return &value;
    }
  }
  return nullptr;
}

EnvironmentSelection select_environment(const std::optional<std::string>& env_option,
                                        bool sandbox_option, const char* aai_env_variable,
                                        const std::optional<std::string>& profile_env,
                                        const std::string& default_name) {
  if (env_option && !env_option->empty()) {
    return {*env_option, "--env"};
  }
  if (sandbox_option) {
    return {"sandbox000", "--sandbox"};
  }
  if (aai_env_variable != nullptr && *aai_env_variable != '\0') {
    return {aai_env_variable, "AAI_ENV"};
  }
  if (profile_env && !profile_env->empty()) {
    return {*profile_env, "profile"};
  }
  return {default_name, "default"};
}

EnvironmentAddResult EnvironmentRegistry::add(Environment environment) {
  Environment* earlier = nullptr;
  for (auto& candidate : environments_) {
    if (candidate.name == environment.name) {
      earlier = &candidate;
      break;
    }
  }
  if (earlier == nullptr) {
    environments_.push_back(std::move(environment));
    return {};
  }

  using Outcome = EnvironmentAddResult::Outcome;
  EnvironmentAddResult result{Outcome::kConflict, *earlier};
  if (earlier->replaceable) {
    result.outcome = Outcome::kReplaced;
    *earlier = std::move(environment);
  } else if (environment.replaceable) {
    result.outcome = Outcome::kKeptEarlier;
  }
  return result;
}

const Environment* EnvironmentRegistry::find(const std::string& name) const {
  for (const auto& environment : environments_) {
    if (environment.name == name) {
      return &environment;
    }
  }
  return nullptr;
}

const Environment& EnvironmentRegistry::require(const std::string& name) const {
  if (const Environment* environment = find(name)) {
    return *environment;
  }
  std::string known;
  for (const auto& environment : environments_) {
    known += (known.empty() ? "" : ", ") + environment.name;
  }
  std::string suggestion =
      environments_.empty()
          ? "No plugin registers environments; run `aai plugins list` to see what loaded."
          : "Known environments: " + known + ". Run `aai env list` for details.";
  throw CliError(2, "invalid_environment", "Unknown environment '" + name + "'.", suggestion);
}

std::string EnvironmentRegistry::to_json() const {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& environment : environments_) {
    nlohmann::ordered_json fields = nlohmann::ordered_json::object();
    for (const auto& [name, value] : environment.fields) {
      fields[name] = value;
    }
    list.push_back({{"name", environment.name},
                    {"summary", environment.summary},
                    {"plugin", environment.plugin_name},
                    {"origin", environment.origin},
                    {"fields", fields}});
  }
  return list.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace aai::host
