#include "service_tables.hpp"

#include "application.hpp"
#include "http_service.hpp"
#include "secrets_service.hpp"
#include "websocket_service.hpp"

#include <cstring>

#include <unistd.h>

namespace aai::host {

namespace {

PluginHost& plugin_of(const aai_host_t* host) {
  return *static_cast<PluginHost*>(host->host_data);
}

Application& app_of(const aai_host_t* host) {
  return *plugin_of(host).application;
}

// Runs a service body that may raise CliError; the error is kept for the command to report,
// because no exception may cross the ABI.
template <typename Result, typename Body>
Result guarded(const aai_host_t* host, Result fallback, Body body) noexcept {
  try {
    return body();
  } catch (const CliError& error) {
    app_of(host).defer_error(error);
  } catch (const std::exception& error) {
    app_of(host).defer_error(CliError(1, "internal_error", error.what()));
  } catch (...) {
    app_of(host).defer_error(CliError(1, "internal_error", "Unknown internal error."));
  }
  return fallback;
}

void log_line(const aai_host_t* host, aai_log_severity_t severity, const char* message) {
  if (host == nullptr || message == nullptr) {
    return;
  }
  try {
    PluginHost& plugin = plugin_of(host);
    if (plugin.captured_errors != nullptr && severity >= AAI_LOG_ERROR) {
      plugin.captured_errors->push_back(message);
      return;
    }
    plugin.application->log().write(plugin.plugin_name, severity, message);
  } catch (...) {
    // A log line that cannot be written is dropped; logging must never fail a command.
  }
}

int32_t log_verbosity(const aai_host_t* host) {
  return app_of(host).log().verbosity();
}

void log_add_secret(const aai_host_t* host, const char* secret) {
  if (secret != nullptr) {
    guarded<int>(host, 0, [&] {
      app_of(host).log().add_secret(secret);
      return 0;
    });
  }
}

const aai_log_service_t kLogService = {sizeof(aai_log_service_t), &log_line, &log_verbosity,
                                       &log_add_secret};

aai_status_t output_write(const aai_host_t* host, const char* data, size_t size) {
  return guarded<aai_status_t>(host, AAI_STATUS_ERROR, [&] {
    // On a terminal, stdout and the progress line on stderr share the screen.
    if (::isatty(1) == 1) {
      app_of(host).progress().hide();
    }
    bool written = data == nullptr || app_of(host).output().write({data, size});
    return written ? AAI_STATUS_OK : AAI_STATUS_ERROR;
  });
}

void output_message(const aai_host_t* host, aai_message_kind_t kind, const char* text) {
  if (text != nullptr) {
    guarded<int>(host, 0, [&] {
      app_of(host).progress().hide();
      app_of(host).output().message(kind, text);
      return 0;
    });
  }
}

bool output_is_json(const aai_host_t* host) {
  return app_of(host).output().is_json();
}
bool output_is_quiet(const aai_host_t* host) {
  return app_of(host).output().is_quiet();
}
bool output_is_terminal(const aai_host_t*, int32_t fd) {
  return fd >= 0 && fd <= 2 && ::isatty(fd) == 1;
}
bool output_is_interrupted(const aai_host_t* host) {
  return app_of(host).is_interrupted();
}

const aai_output_service_t kOutputService = {
    sizeof(aai_output_service_t),
    &output_write,
    &output_message,
    &output_is_json,
    &output_is_quiet,
    &output_is_terminal,
    &output_is_interrupted,
};

void progress_update(const aai_host_t* host, const char* label, uint64_t done, uint64_t total) {
  guarded<int>(host, 0, [&] {
    app_of(host).progress().update(label != nullptr ? label : "", done, total);
    return 0;
  });
}

void progress_clear(const aai_host_t* host) {
  guarded<int>(host, 0, [&] {
    app_of(host).progress().clear();
    return 0;
  });
}

const aai_progress_service_t kProgressService = {sizeof(aai_progress_service_t), &progress_update,
                                                 &progress_clear};

const char* config_get(const aai_host_t* host, const char* section, const char* key) {
  if (section == nullptr || key == nullptr) {
    return nullptr;
  }
  return guarded<const char*>(host, nullptr, [&]() -> const char* {
    const std::string* value = app_of(host).config().find(section, key);
    return value != nullptr ? value->c_str() : nullptr;
  });
}

aai_status_t config_set(const aai_host_t* host, const char* section, const char* key,
                        const char* value) {
  if (section == nullptr || key == nullptr) {
    return AAI_STATUS_ERROR;
  }
  try {
    std::optional<std::string> stored;
    if (value != nullptr) {
      stored = value;
    }
    app_of(host).config().set(section, key, stored);
    return AAI_STATUS_OK;
  } catch (const std::exception& error) {
    log_line(host, AAI_LOG_ERROR, error.what());
    return AAI_STATUS_ERROR;
  }
}

const char* config_profile(const aai_host_t* host) {
  return guarded<const char*>(host, "default", [&] { return app_of(host).profile().c_str(); });
}

const char* config_path(const aai_host_t* host) {
  return guarded<const char*>(
      host, "", [&] { return app_of(host).keep(app_of(host).config().path().string()).c_str(); });
}

const aai_config_service_t kConfigService = {sizeof(aai_config_service_t), &config_get, &config_set,
                                             &config_profile, &config_path};

const char* environment_active(const aai_host_t* host) {
  return guarded<const char*>(host, nullptr, [&]() -> const char* {
    const Environment* environment = app_of(host).active_environment();
    return environment != nullptr ? environment->name.c_str() : nullptr;
  });
}

const char* environment_get(const aai_host_t* host, const char* name, const char* field) {
  if (field == nullptr) {
    return nullptr;
  }
  return guarded<const char*>(host, nullptr, [&]() -> const char* {
    Application& app = app_of(host);
    const Environment* environment =
        name != nullptr ? app.environments().find(name) : app.active_environment();
    const std::string* value = environment != nullptr ? environment->field(field) : nullptr;
    return value != nullptr ? value->c_str() : nullptr;
  });
}

const char* environment_list_json(const aai_host_t* host) {
  return guarded<const char*>(
      host, "[]", [&] { return app_of(host).keep(app_of(host).environments().to_json()).c_str(); });
}

const char* environment_active_source(const aai_host_t* host) {
  return guarded<const char*>(host, "default",
                              [&] { return app_of(host).environment_selection().source.c_str(); });
}

aai_status_t environment_select(const aai_host_t* host, const char* name) {
  if (name == nullptr) {
    return AAI_STATUS_ERROR;
  }
  return guarded<aai_status_t>(host, AAI_STATUS_ERROR, [&] {
    return app_of(host).switch_environment(name) ? AAI_STATUS_OK : AAI_STATUS_ERROR;
  });
}

const aai_environment_service_t kEnvironmentService = {sizeof(aai_environment_service_t),
                                                       &environment_active,
                                                       &environment_get,
                                                       &environment_list_json,
                                                       &environment_active_source,
                                                       &environment_select};

}  // namespace

const void* get_service(const aai_host_t* host, const char* service_id) {
  if (host == nullptr || service_id == nullptr) {
    return nullptr;
  }
  if (std::strcmp(service_id, AAI_SERVICE_LOG) == 0) {
    return &kLogService;
  }
  if (std::strcmp(service_id, AAI_SERVICE_OUTPUT) == 0) {
    return &kOutputService;
  }
  if (std::strcmp(service_id, AAI_SERVICE_PROGRESS) == 0) {
    return &kProgressService;
  }
  if (std::strcmp(service_id, AAI_SERVICE_CONFIG) == 0) {
    return &kConfigService;
  }
  if (std::strcmp(service_id, AAI_SERVICE_ENVIRONMENT) == 0) {
    return &kEnvironmentService;
  }
  if (std::strcmp(service_id, AAI_SERVICE_HTTP) == 0) {
    return &http_service_table();
  }
  if (std::strcmp(service_id, AAI_SERVICE_SECRETS) == 0) {
    return &secrets_service_table();
  }
  if (std::strcmp(service_id, AAI_SERVICE_WEBSOCKET) == 0) {
    return &websocket_service_table();
  }
  return nullptr;
}

}  // namespace aai::host
