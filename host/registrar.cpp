#include "registrar.hpp"

#include "plugin_command.hpp"
#include "plugin_specs.hpp"

#include <stdexcept>

namespace aai::host {

namespace {

Registration& registration_of(const aai_registrar_t* registrar) {
  return *static_cast<Registration*>(registrar->host_data);
}

// Runs one staging step and turns a rejected spec into AAI_STATUS_ERROR, keeping the reason.
template <typename Step>
aai_status_t stage(const aai_registrar_t* registrar, Step step) noexcept {
  Registration& registration = registration_of(registrar);
  try {
    step(registration);
    return AAI_STATUS_OK;
  } catch (const std::exception& error) {
    if (registration.rejection.empty()) {
      registration.rejection = error.what();
    }
  } catch (...) {
    if (registration.rejection.empty()) {
      registration.rejection = "a spec could not be copied";
    }
  }
  return AAI_STATUS_ERROR;
}

aai_status_t add_command(const aai_registrar_t* registrar, const aai_command_spec_t* spec) {
  return stage(registrar, [&](Registration& registration) {
    CommandSpec copy = copy_command_spec(spec);
    for (const auto& staged : registration.commands) {
      if (staged.spec.name == copy.name) {
        throw std::invalid_argument("command '" + copy.name + "' is registered twice");
      }
    }
    registration.commands.push_back({std::move(copy), spec->run, spec->context});
  });
}

aai_status_t add_environment(const aai_registrar_t* registrar, const char* name,
                             const char* summary, const aai_field_t* fields, uint32_t field_count) {
  return stage(registrar, [&](Registration& registration) {
    Environment environment = copy_environment(name, summary, fields, field_count);
    environment.plugin_name = registration.host->plugin_name;
    environment.plugin_file = registration.file;
    registration.environments.push_back(std::move(environment));
  });
}

aai_status_t add_pre_request_hook(const aai_registrar_t* registrar, void* context,
                                  aai_pre_request_fn hook) {
  return stage(registrar, [&](Registration& registration) {
    if (hook == nullptr) {
      throw std::invalid_argument("pre-request hook without a function");
    }
    registration.hooks.push_back(
        {&registration.host->raw, registration.host->plugin_name, context, hook});
  });
}

aai_status_t add_provider(const aai_registrar_t* registrar, const aai_provider_spec_t* spec) {
  return stage(registrar, [&](Registration& registration) {
    if (spec == nullptr ||
        spec->struct_size < offsetof(aai_provider_spec_t, pre_request) + sizeof spec->pre_request ||
        spec->role == nullptr || *spec->role == '\0' || spec->name == nullptr ||
        !is_valid_word(spec->name)) {
      throw std::invalid_argument("invalid provider spec");
    }
    Provider provider;
    provider.role = spec->role;
    provider.name = spec->name;
    provider.summary = spec->summary != nullptr ? spec->summary : "";
    provider.plugin_name = registration.host->plugin_name;
    provider.plugin_file = registration.file;
    provider.host = &registration.host->raw;
    provider.context = spec->context;
    provider.pre_request = spec->pre_request;
    registration.providers.push_back(std::move(provider));
  });
}

std::string conflict_warning(const std::filesystem::path& first,
                             const std::filesystem::path& second, const std::string& what) {
  if (first.empty()) {
    return "the plugin " + second.string() + " registers the built-in " + what +
           ", which stays built in.";
  }
  return "the plugins " + first.string() + " and " + second.string() + " both register the " +
         what + "; the first one is kept.";
}

}  // namespace

aai_registrar_t make_registrar(Registration& registration) {
  aai_registrar_t registrar{};
  registrar.struct_size = sizeof registrar;
  registrar.host_data = &registration;
  registrar.add_command = &add_command;
  registrar.add_environment = &add_environment;
  registrar.add_pre_request_hook = &add_pre_request_hook;
  registrar.add_provider = &add_provider;
  return registrar;
}

std::vector<std::string> commit_registration(Application& application, Registration& registration) {
  std::vector<std::string> added;
  PluginHost& host = *registration.host;
  for (auto& staged : registration.commands) {
    Command command;
    command.spec = std::move(staged.spec);
    command.plugin_name = host.plugin_name;
    command.plugin_file = registration.file;
    command.run = make_plugin_handler(host, command.spec.name, staged.run, staged.context);
    std::string name = command.spec.name;
    if (const Command* existing = application.commands().add(std::move(command))) {
      application.output().warning(
          conflict_warning(existing->plugin_file, registration.file, "command '" + name + "'"));
    }
    added.push_back(name);
  }
  for (auto& environment : registration.environments) {
    std::string name = environment.name;
    if (const Environment* existing = application.environments().add(std::move(environment))) {
      application.output().warning(
          conflict_warning(existing->plugin_file, registration.file, "environment '" + name + "'"));
    }
  }
  for (auto& hook : registration.hooks) {
    application.hooks().push_back(std::move(hook));
  }
  for (auto& provider : registration.providers) {
    std::string what = "provider '" + provider.name + "' for " + provider.role;
    if (const Provider* existing = application.providers().add(std::move(provider))) {
      application.output().warning(
          conflict_warning(existing->plugin_file, registration.file, what));
    }
  }
  return added;
}

}  // namespace aai::host
