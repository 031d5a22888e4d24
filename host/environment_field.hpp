// Matching of a request URL to an endpoint field of the active environment, for
// aai_request_editor_t::environment_field.
#pragma once

#include "environment_registry.hpp"

#include <string>

namespace aai::host {

/// Returns the name of the environment field whose URL is the longest path prefix of `url`, or
/// nullptr when none is. A field matches when its value is an http, https, ws or wss URL with
/// the request's host and port in the same scheme family (http and ws, https and wss). Its path
/// must also be a prefix of the request's path that ends at a '/' boundary. On equal paths the
/// field with the request's exact scheme wins, then the first registered. A request path with "."
/// or
/// ".." segments matches nothing, because a server may resolve them into another field's path.
const std::string* match_environment_field(const Environment& environment, const std::string& url);

}  // namespace aai::host
