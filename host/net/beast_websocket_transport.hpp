// WebSocketTransport built on Boost.Beast, for ws and wss URLs.
#pragma once

#include "host/net/exported_interface.hpp"

namespace aai::host {

/// Opens each connection on an io_context of its own. The opening handshake runs on the calling
/// thread, polling is_cancelled every 50 ms; after it a network thread per connection reads
/// messages into a queue.
///
/// Rationale: Beast's handshake returns the server's whole HTTP response, so a rejected key (401)
/// and its JSON body reach the caller. cpprestsdk's websocket_client (2.10) reports a rejected
/// upgrade only as a websocket_exception holding a message and an error code, without the status
/// or the body.
///
/// wss always verifies the server's certificate against the system's trust store
/// (set_default_verify_paths, which honours SSL_CERT_FILE and SSL_CERT_DIR) and its host name,
/// and sends the host name by SNI. No proxy is used.
class BeastWebSocketTransport final : public WebSocketTransport {
 public:
  WebSocketHandshake connect(const WebSocketConnectRequest& request) override;
};

}  // namespace aai::host
