// Compiled into each executable with -DAAI_DEFAULT_ENV="NAME" (see host/CMakeLists.txt), so a
// build with another default recompiles only this file.
#include "default_environment.hpp"

#ifndef AAI_DEFAULT_ENV
#error "AAI_DEFAULT_ENV must name the default environment, as in -DAAI_DEFAULT_ENV=\"production\""
#endif

namespace aai::host {

const char* default_environment_name() {
  return AAI_DEFAULT_ENV;
}

}  // namespace aai::host
