#include "registrar.hpp"

#include "plugin_command.hpp"
#include "plugin_specs.hpp"

#include <cstddef>
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
    environment.origin = "plugin " + environment.plugin_name;
    registration.environments.push_back(std::move(environment));
  });
}

aai_status_t add_environment_spec(const aai_registrar_t* registrar,
                                  const aai_environment_spec_t* spec) {
  return stage(registrar, [&](Registration& registration) {
    // Every member came in 1.4, but the ones up to field_count are enough to describe an
    // environment, so a shorter spec still registers one: without origin, not replaceable.
    auto covers = [&](size_t end) { return spec != nullptr && spec->struct_size >= end; };
    if (!covers(offsetof(aai_environment_spec_t, field_count) + sizeof spec->field_count)) {
      throw std::invalid_argument("incomplete environment spec");
    }
    Environment environment =
        copy_environment(spec->name, spec->summary, spec->fields, spec->field_count);
    environment.plugin_name = registration.host->plugin_name;
    environment.plugin_file = registration.file;
    environment.origin = "plugin " + environment.plugin_name;
    if (covers(offsetof(aai_environment_spec_t, origin) + sizeof spec->origin) &&
        spec->origin != nullptr && *spec->origin != '\0') {
      environment.origin = spec->origin;
    }
    environment.replaceable =
        covers(offsetof(aai_environment_spec_t, replaceable) + sizeof spec->replaceable) &&
        spec->replaceable;
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

// `outcome` says what happens between two plugins: the first one is kept, or, for a command,
// running it fails until one of them is removed.
std::string conflict_warning(const std::filesystem::path& first,
                             const std::filesystem::path& second, const std::string& what,
                             const std::string& outcome = "the first one is kept") {
  if (first.empty()) {
    return "the plugin " + second.string() + " registers the built-in " + what +
           ", which stays built in.";
  }
  return "the plugins " + first.string() + " and " + second.string() + " both register the " +
         what + "; " + outcome + ".";
}

// Describes an environment for the -v log: "'acme' from /etc/aai/environments.d/acme.ini
// (plugin env-registry, /usr/lib/aai/plugins/env-registry.so)".
std::string describe_environment(const Environment& environment) {
  return "'" + environment.name + "' from " + environment.origin + " (plugin " +
         environment.plugin_name + ", " + environment.plugin_file.string() + ")";
}

void commit_environment(Application& application, const std::filesystem::path& file,
                        Environment environment) {
  std::string name = environment.name;
  std::string description = describe_environment(environment);
  EnvironmentAddResult result = application.environments().add(std::move(environment));
  using Outcome = EnvironmentAddResult::Outcome;
  switch (result.outcome) {
    case Outcome::kAdded:
      break;
    case Outcome::kReplaced:
      application.log().write(
          "aai", AAI_LOG_INFO,
          "environment " + description + " replaces " + describe_environment(*result.earlier));
      break;
    case Outcome::kKeptEarlier:
      application.log().write(
          "aai", AAI_LOG_INFO,
          "environment " + describe_environment(*result.earlier) + " replaces " + description);
      break;
    case Outcome::kConflict:
      application.output().warning(
          conflict_warning(result.earlier->plugin_file, file, "environment '" + name + "'"));
      break;
  }
}

}  // namespace

std::string command_conflict_warning(const std::filesystem::path& first,
                                     const std::filesystem::path& second, const std::string& name) {
  return conflict_warning(first, second, "command '" + name + "'",
                          "`aai " + name + "` fails until one of them is removed");
}

aai_registrar_t make_registrar(Registration& registration) {
  aai_registrar_t registrar{};
  registrar.struct_size = sizeof registrar;
  registrar.host_data = &registration;
  registrar.add_command = &add_command;
  registrar.add_environment = &add_environment;
  registrar.add_pre_request_hook = &add_pre_request_hook;
  registrar.add_provider = &add_provider;
  registrar.add_environment_spec = &add_environment_spec;
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
          command_conflict_warning(existing->plugin_file, registration.file, name));
    }
    added.push_back(name);
  }
  for (auto& environment : registration.environments) {
    commit_environment(application, registration.file, std::move(environment));
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
