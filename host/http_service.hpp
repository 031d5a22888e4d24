// The aai.http/1 service table: the C face of the request pipeline.
#pragma once

#include <aai/plugin.h>

namespace aai::host {

const aai_http_service_t& http_service_table();

}  // namespace aai::host
