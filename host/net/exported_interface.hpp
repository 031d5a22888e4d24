// Includes the transport interfaces with default visibility inside libaai-net.so.
#pragma once

// libaai-net.so builds with hidden visibility, but the host catches TransportError and calls
// HttpTransport, WebSocketTransport and WebSocketConnection through their vtables, so their
// type_info and vtables must stay visible. This header therefore has to come before any other
// include of the interface headers in the library.
#pragma GCC visibility push(default)
#include "host/net/http_transport.hpp"
#include "host/net/websocket_transport.hpp"
#pragma GCC visibility pop
