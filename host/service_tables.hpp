// The C service tables the host offers to plugins through aai_host_t::get_service.
#pragma once

#include <aai/plugin.h>

namespace aai::host {

/// Implements aai_host_t::get_service: returns the table for a known id, or NULL.
const void* get_service(const aai_host_t* host, const char* service_id);

}  // namespace aai::host
