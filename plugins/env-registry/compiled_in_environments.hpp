// The environment files compiled into this build of the plugin (CMake option
// AAI_EXTRA_ENVIRONMENTS). env-registry-embed generates the definition for each build of the
// plugin.
#pragma once

#include <string_view>
#include <vector>

namespace env_registry {

/// One compiled-in file: its name without folders ("acme.ini") and its bytes.
struct EmbeddedFile {
  std::string_view name;
  std::string_view text;
};

/// Returns the compiled-in files in the order AAI_EXTRA_ENVIRONMENTS lists them.
const std::vector<EmbeddedFile>& compiled_in_environment_files();

}  // namespace env_registry
