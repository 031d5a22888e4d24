// The aai.secrets/1 service table: the C face of the secret store.
#pragma once

#include <aai/plugin.h>

namespace aai::host {

const aai_secrets_service_t& secrets_service_table();

}  // namespace aai::host
