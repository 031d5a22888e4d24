// The rules every environment from a file or `aai env add` must meet: names, keys and URLs.
#pragma once

#include <optional>
#include <string>

namespace env_registry {

/// The reason a name, key or value was rejected. `reason` completes a sentence such as "skipped
/// environment 'acme' in FILE line 3: REASON", and `suggestion` is the next step to fix it.
struct Problem {
  std::string reason;
  std::string suggestion;
};

/// Returns a problem unless `name` is lower-case letters, digits and '-', not starting with '-'
/// (the host's rule for environment names).
std::optional<Problem> check_environment_name(const std::string& name);

/// Returns a problem unless `key` is a lower-case letter followed by lower-case letters, digits
/// and '_'.
std::optional<Problem> check_field_key(const std::string& key);

/// Returns whether field `key` contains a base URL that commands append paths to: every key ending
/// in "_base", and stytch_domain.
bool is_base_url_field(const std::string& key);

/// Returns a problem when `value` does not suit field `key`:
/// - A base URL (see is_base_url_field) must be absolute, without user info, query, fragment or
///   a trailing '/'. signup_url must be absolute and without user info.
/// - streaming_base must use wss; api_base, llm_gateway_base, ams_base, stytch_domain and
///   signup_url https; any other *_base field https or wss. On a loopback host (127.0.0.0/8,
///   [::1], localhost) ws and http are allowed as well.
/// - login_state must be "query".
/// Other keys accept any value.
std::optional<Problem> check_field_value(const std::string& key, const std::string& value);

/// Returns whether `host` is a loopback host: an IPv4 address in 127.0.0.0/8, [::1] or
/// localhost (any case).
bool is_loopback_host(const std::string& host);

}  // namespace env_registry
