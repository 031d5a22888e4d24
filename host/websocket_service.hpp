// The aai.websocket/1 service table: WebSocket connections through the request pipeline's hooks,
// credential rule and -vv logging.
#pragma once

#include <aai/plugin.h>

namespace aai::host {

const aai_websocket_service_t& websocket_service_table();

}  // namespace aai::host
