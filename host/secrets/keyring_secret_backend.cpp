#include "secrets/keyring_secret_backend.hpp"

#include <dlfcn.h>
#include <sys/stat.h>

namespace aai::host {

namespace fs = std::filesystem;

namespace {

using KeyringEntryFunction = const AaiKeyringFunctions* (*)();

// Names the probe entry so that a keyring browser shows where it came from; nothing is stored.
constexpr const char* kProbeService = "aai-secret-store-probe";
constexpr const char* kProbeAccount = "probe";

std::string dl_error_text() {
  const char* message = ::dlerror();
  return message != nullptr ? message : "unknown error";
}

const AaiKeyringFunctions& open_library(const fs::path& library_path) {
  // The handle is never closed: GLib starts threads and registers types that must outlive any
  // scope that could own it.
  void* handle = ::dlopen(library_path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    throw keyring_unavailable("could not load " + library_path.string() + ": " + dl_error_text());
  }
  ::dlerror();
  auto entry = reinterpret_cast<KeyringEntryFunction>(::dlsym(handle, kKeyringFunctionsSymbol));
  const AaiKeyringFunctions* functions = entry != nullptr ? entry() : nullptr;
  if (functions == nullptr || functions->struct_size < sizeof(AaiKeyringFunctions)) {
    throw keyring_unavailable(library_path.string() + " does not export " +
                              kKeyringFunctionsSymbol);
  }
  return *functions;
}

// Owns an error message from the library.
struct ErrorText {
  const AaiKeyringFunctions& functions;
  char* text = nullptr;

  ~ErrorText() { functions.free_error(text); }
  std::string get() const { return text != nullptr ? text : "unknown error"; }
};

}  // namespace

SecretStoreError keyring_unavailable(const std::string& reason) {
  return SecretStoreError(
      "The Secret Service keyring did not answer: " + reason + ".",
      "Run `aai config set core.secret_store file` to keep secrets in a file instead.");
}

bool is_session_bus_reachable(const char* bus_address, const char* runtime_dir) {
  if (bus_address != nullptr && *bus_address != '\0') {
    return true;
  }
  if (runtime_dir == nullptr || *runtime_dir == '\0') {
    return false;
  }
  struct stat status {};
  std::string socket_path = std::string(runtime_dir) + "/bus";
  return ::stat(socket_path.c_str(), &status) == 0 && S_ISSOCK(status.st_mode);
}

const AaiKeyringFunctions& load_keyring_functions(const fs::path& library_folder) {
  // Loaded once per process; a failed load is retried on the next call, which costs only the
  // dlopen.
  static const AaiKeyringFunctions* loaded = nullptr;
  if (loaded == nullptr) {
    loaded = &open_library(library_folder / kKeyringLibraryName);
  }
  return *loaded;
}

fs::path executable_library_folder() {
  std::error_code error;
  fs::path executable = fs::read_symlink("/proc/self/exe", error);
  return executable.parent_path().parent_path() / "lib" / "aai";
}

KeyringSecretBackend::KeyringSecretBackend(const AaiKeyringFunctions& functions)
    : functions_(functions) {}

std::optional<std::string> KeyringSecretBackend::lookup(const std::string& service,
                                                        const std::string& account) {
  char* value = nullptr;
  ErrorText error{functions_};
  if (functions_.lookup(service.c_str(), account.c_str(), &value, &error.text) != 0) {
    throw SecretStoreError("Could not read from the Secret Service keyring: " + error.get() + ".",
                           "Unlock the keyring, or run `aai config set core.secret_store file`.");
  }
  if (value == nullptr) {
    return std::nullopt;
  }
  std::string copy = value;
  functions_.free_value(value);
  return copy;
}

void KeyringSecretBackend::store(const std::string& service, const std::string& account,
                                 const std::string& label, const std::string& value) {
  ErrorText error{functions_};
  if (functions_.store(service.c_str(), account.c_str(), label.c_str(), value.c_str(),
                       &error.text) != 0) {
    throw SecretStoreError("Could not store in the Secret Service keyring: " + error.get() + ".",
                           "Unlock the keyring, or run `aai config set core.secret_store file`.");
  }
}

bool KeyringSecretBackend::remove(const std::string& service, const std::string& account) {
  bool removed = false;
  ErrorText error{functions_};
  if (functions_.remove(service.c_str(), account.c_str(), &removed, &error.text) != 0) {
    throw SecretStoreError("Could not remove from the Secret Service keyring: " + error.get() + ".",
                           "Unlock the keyring, or run `aai config set core.secret_store file`.");
  }
  return removed;
}

void KeyringSecretBackend::probe() {
  char* value = nullptr;
  ErrorText error{functions_};
  if (functions_.lookup(kProbeService, kProbeAccount, &value, &error.text) != 0) {
    throw keyring_unavailable(error.get());
  }
  functions_.free_value(value);
}

}  // namespace aai::host
