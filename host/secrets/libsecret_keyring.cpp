// libaai-secrets.so: the Secret Service through libsecret, kept out of the aai executable because
// loading GLib and GIO costs start-up time that commands without secrets should not pay.
#include "secrets/keyring_functions.hpp"

#include <libsecret/secret.h>

namespace {

// The attribute names of Python's keyring library, so that both CLIs find the same items.
// SECRET_SCHEMA_DONT_MATCH_NAME lets lookups find items stored under another schema name.
const SecretSchema* keyring_schema() {
  static const SecretSchema schema = {"org.freedesktop.Secret.Generic",
                                      SECRET_SCHEMA_DONT_MATCH_NAME,
                                      {
                                          {"service", SECRET_SCHEMA_ATTRIBUTE_STRING},
                                          {"username", SECRET_SCHEMA_ATTRIBUTE_STRING},
                                          {nullptr, SECRET_SCHEMA_ATTRIBUTE_STRING},
                                      },
                                      0,
                                      nullptr,
                                      nullptr,
                                      nullptr,
                                      nullptr,
                                      nullptr,
                                      nullptr,
                                      nullptr};
  return &schema;
}

int take_error(GError* failure, char** error) {
  if (failure == nullptr) {
    return 0;
  }
  if (error != nullptr) {
    *error = g_strdup(failure->message);
  }
  g_error_free(failure);
  return 1;
}

int keyring_lookup(const char* service, const char* account, char** value, char** error) {
  GError* failure = nullptr;
  gchar* found = secret_password_lookup_sync(keyring_schema(), nullptr, &failure, "service",
                                             service, "username", account, nullptr);
  if (take_error(failure, error) != 0) {
    secret_password_free(found);
    return 1;
  }
  *value = found;
  return 0;
}

int keyring_store(const char* service, const char* account, const char* label, const char* value,
                  char** error) {
  GError* failure = nullptr;
  gboolean stored =
      secret_password_store_sync(keyring_schema(), SECRET_COLLECTION_DEFAULT, label, value, nullptr,
                                 &failure, "service", service, "username", account, nullptr);
  if (take_error(failure, error) != 0) {
    return 1;
  }
  if (!stored) {
    *error = g_strdup("the Secret Service did not store the item");
    return 1;
  }
  return 0;
}

int keyring_remove(const char* service, const char* account, bool* removed, char** error) {
  GError* failure = nullptr;
  gboolean cleared = secret_password_clear_sync(keyring_schema(), nullptr, &failure, "service",
                                                service, "username", account, nullptr);
  if (take_error(failure, error) != 0) {
    return 1;
  }
  if (removed != nullptr) {
    *removed = cleared != FALSE;
  }
  return 0;
}

void keyring_free_value(char* value) {
  secret_password_free(value);
}

void keyring_free_error(char* error) {
  g_free(error);
}

const AaiKeyringFunctions kFunctions = {
    sizeof(AaiKeyringFunctions), &keyring_lookup,    &keyring_store, &keyring_remove,
    &keyring_free_value,         &keyring_free_error};

}  // namespace

extern "C" __attribute__((visibility("default"))) const AaiKeyringFunctions*
aai_keyring_functions() {
  return &kFunctions;
}
