// The environment aai uses when nothing else selects one.
#pragma once

namespace aai::host {

/// Returns the build's AAI_DEFAULT_ENV ("production" unless the build chose another). It is
/// defined in default_environment.cpp, which each executable compiles with its own value, so
/// aai_host_core itself does not contain it.
const char* default_environment_name();

}  // namespace aai::host
