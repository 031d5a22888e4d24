// The C function table libaai-secrets.so exports, shared by the library and its loader.
#pragma once

#include <cstdint>

extern "C" {

/// Calls into the Secret Service through libsecret. Each call returns 0 on success. On failure it
/// returns 1 and stores in *error a message that free_error releases. Strings passed in are
/// borrowed for the call. Calls block until the Secret Service replies or D-Bus times out.
struct AaiKeyringFunctions {
  std::uint32_t struct_size;

  /// Stores the secret under `service` and `account` in *value (NULL when none is stored);
  /// free_value releases it.
  int (*lookup)(const char* service, const char* account, char** value, char** error);

  /// Stores `value` in the default collection, replacing an item with the same attributes.
  int (*store)(const char* service, const char* account, const char* label, const char* value,
               char** error);

  /// Removes matching items; *removed tells whether there was one.
  int (*remove)(const char* service, const char* account, bool* removed, char** error);

  /// Wipes and frees a value from lookup. NULL is allowed.
  void (*free_value)(char* value);

  /// Frees an error message. NULL is allowed.
  void (*free_error)(char* error);
};

}  // extern "C"

namespace aai::host {

/// File name of the library, found in lib/aai next to the executable's bin folder.
inline constexpr const char* kKeyringLibraryName = "libaai-secrets.so";

/// The library's only exported symbol: `const AaiKeyringFunctions* NAME(void)`.
inline constexpr const char* kKeyringFunctionsSymbol = "aai_keyring_functions";

}  // namespace aai::host
