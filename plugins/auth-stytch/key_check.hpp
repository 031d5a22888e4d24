// Whether the API accepts the key the provider attaches: the check behind login and whoami.
#pragma once

#include <aai/plugin.hpp>

namespace auth_stytch {

/// Sends `GET {api_base}/v2/transcript?limit=1` carrying the provider's key and returns the
/// HTTP status. A 401 that the host reports as a rejected key is returned as 401 too. Throws
/// aai::Error on a network failure or when the provider has no key to send.
int check_api_key(const aai::Host& host);

/// Returns whether `status` means the key itself was rejected (401 or 403).
inline bool is_rejected_key_status(int status) {
  return status == 401 || status == 403;
}

}  // namespace auth_stytch
