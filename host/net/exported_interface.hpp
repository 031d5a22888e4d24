// Includes the transport interface with default visibility inside libaai-net.so.
#pragma once

// libaai-net.so builds with hidden visibility, but the host catches TransportError and calls
// HttpTransport through its vtable, so their type_info and vtables must stay visible. This
// header therefore has to come before any other include of http_transport.hpp in the library.
#pragma GCC visibility push(default)
#include "host/net/http_transport.hpp"
#pragma GCC visibility pop
