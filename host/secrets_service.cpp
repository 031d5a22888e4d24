#include "secrets_service.hpp"

#include "application.hpp"
#include "secrets/secret_wipe.hpp"

#include <cstdlib>
#include <cstring>

namespace aai::host {

namespace {

Application& app_of(const aai_host_t* host) {
  return *static_cast<PluginHost*>(host->host_data)->application;
}

void set_last_error(SecretStore& store, const std::string& message, const std::string& suggestion) {
  store.last_error_message() = message;
  store.last_error_suggestion() = suggestion;
}

// Runs one service call. No exception may cross the ABI, so each failure becomes the service's
// last error. An invalid core.secret_store is also kept for the command to report, because it
// is a usage error (exit 2) and not a failure of the store.
template <typename Body>
aai_status_t run_call(const aai_host_t* host, Body body) noexcept {
  if (host == nullptr) {
    return AAI_STATUS_ERROR;
  }
  Application& app = app_of(host);
  SecretStore& store = app.secrets();
  try {
    set_last_error(store, "", "");
    body(store);
    return AAI_STATUS_OK;
  } catch (const SecretStoreError& error) {
    set_last_error(store, error.what(), error.suggestion());
  } catch (const CliError& error) {
    app.defer_error(error);
    set_last_error(store, error.what(), error.suggestion());
  } catch (const std::exception& error) {
    set_last_error(store, std::string("The secret store failed: ") + error.what() + ".", "");
  }
  return AAI_STATUS_ERROR;
}

void require_names(const char* service, const char* account) {
  if (service == nullptr || account == nullptr || *service == '\0' || *account == '\0') {
    throw SecretStoreError("A secret needs a non-empty service and account name.");
  }
}

aai_status_t secrets_lookup(const aai_host_t* host, const char* service, const char* account,
                            char** value) {
  if (value != nullptr) {
    *value = nullptr;
  }
  return run_call(host, [&](SecretStore& store) {
    require_names(service, account);
    if (value == nullptr) {
      throw SecretStoreError("A lookup needs a place to store the value; value is NULL.");
    }
    std::optional<std::string> found = store.lookup(service, account);
    if (!found) {
      return;
    }
    char* copy = static_cast<char*>(std::malloc(found->size() + 1));
    if (copy == nullptr) {
      wipe_string(*found);
      throw std::bad_alloc();
    }
    std::memcpy(copy, found->c_str(), found->size() + 1);
    wipe_string(*found);
    *value = copy;
  });
}

aai_status_t secrets_store(const aai_host_t* host, const char* service, const char* account,
                           const char* label, const char* value) {
  return run_call(host, [&](SecretStore& store) {
    require_names(service, account);
    if (value == nullptr) {
      throw SecretStoreError("A secret needs a value; use remove to delete one.");
    }
    store.store(service, account, label != nullptr ? label : "", value);
  });
}

aai_status_t secrets_remove(const aai_host_t* host, const char* service, const char* account,
                            bool* removed) {
  if (removed != nullptr) {
    *removed = false;
  }
  return run_call(host, [&](SecretStore& store) {
    require_names(service, account);
    bool was_stored = store.remove(service, account);
    if (removed != nullptr) {
      *removed = was_stored;
    }
  });
}

void secrets_release(const aai_host_t*, char* value) {
  if (value != nullptr) {
    wipe_bytes(value, std::strlen(value));
    std::free(value);
  }
}

const char* secrets_describe(const aai_host_t* host) {
  if (host == nullptr) {
    return "";
  }
  SecretStore& store = app_of(host).secrets();
  if (run_call(host, [](SecretStore& selected) { selected.description() = selected.describe(); }) !=
      AAI_STATUS_OK) {
    store.description().clear();
  }
  return store.description().c_str();
}

void secrets_last_error(const aai_host_t* host, const char** message, const char** suggestion) {
  if (host == nullptr) {
    return;
  }
  SecretStore& store = app_of(host).secrets();
  if (message != nullptr) {
    *message = store.last_error_message().c_str();
  }
  if (suggestion != nullptr) {
    *suggestion = store.last_error_suggestion().c_str();
  }
}

const aai_secrets_service_t kSecretsService = {sizeof(aai_secrets_service_t),
                                               &secrets_lookup,
                                               &secrets_store,
                                               &secrets_remove,
                                               &secrets_release,
                                               &secrets_describe,
                                               &secrets_last_error};

}  // namespace

const aai_secrets_service_t& secrets_service_table() {
  return kSecretsService;
}

}  // namespace aai::host
