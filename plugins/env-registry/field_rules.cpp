#include "field_rules.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <vector>

namespace env_registry {
namespace {

std::string to_lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// Returns whether `text` is a decimal number from `min` to `max` without sign or leading '+'.
bool is_number_in_range(const std::string& text, int min, int max) {
  if (text.empty() || text.size() > 5 || !std::all_of(text.begin(), text.end(), ::isdigit)) {
    return false;
  }
  int value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value >= min && value <= max;
}

bool is_ipv4_loopback(const std::string& host) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t dot = host.find('.', start);
    parts.push_back(host.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) {
      break;
    }
    start = dot + 1;
  }
  if (parts.size() != 4 || parts[0] != "127") {
    return false;
  }
  return std::all_of(parts.begin(), parts.end(),
                     [](const std::string& part) { return is_number_in_range(part, 0, 255); });
}

// The parts of an absolute URL that the rules look at.
struct UrlParts {
  std::string scheme;  // lower case
  std::string host;    // lower case, an IPv6 address keeps its brackets
  std::string rest;    // path, query and fragment, possibly empty
  bool has_user_info = false;
};

bool is_host_character(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
}

// Splits an absolute URL. Returns nullopt for anything the host could not use as a URL: no
// "scheme://", an empty or malformed host, a port outside 1..65535, spaces or control characters.
std::optional<UrlParts> split_url(const std::string& url) {
  if (std::any_of(url.begin(), url.end(), [](unsigned char c) { return c <= ' ' || c == 0x7f; })) {
    return std::nullopt;
  }
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos || scheme_end == 0) {
    return std::nullopt;
  }
  UrlParts parts;
  parts.scheme = to_lower(url.substr(0, scheme_end));
  size_t authority_start = scheme_end + 3;
  size_t authority_end = url.find_first_of("/?#", authority_start);
  if (authority_end == std::string::npos) {
    authority_end = url.size();
  }
  std::string authority = url.substr(authority_start, authority_end - authority_start);
  parts.rest = url.substr(authority_end);
  if (size_t at = authority.rfind('@'); at != std::string::npos) {
    parts.has_user_info = true;
    authority = authority.substr(at + 1);
  }

  std::string port;
  if (!authority.empty() && authority[0] == '[') {
    size_t close = authority.find(']');
    if (close == std::string::npos || close == 1) {
      return std::nullopt;
    }
    std::string address = authority.substr(1, close - 1);
    if (!std::all_of(address.begin(), address.end(), [](char c) {
          return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
        })) {
      return std::nullopt;
    }
    parts.host = authority.substr(0, close + 1);
    std::string after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') {
        return std::nullopt;
      }
      port = after.substr(1);
      if (!is_number_in_range(port, 1, 65535)) {
        return std::nullopt;
      }
    }
  } else {
    size_t colon = authority.find(':');
    parts.host = authority.substr(0, colon);
    if (colon != std::string::npos) {
      port = authority.substr(colon + 1);
      if (!is_number_in_range(port, 1, 65535)) {
        return std::nullopt;
      }
    }
    if (parts.host.empty() ||
        !std::all_of(parts.host.begin(), parts.host.end(), is_host_character)) {
      return std::nullopt;
    }
  }
  parts.host = to_lower(parts.host);
  return parts;
}

// The schemes a field may use on any host, and the ones added on a loopback host.
struct SchemeRule {
  std::vector<std::string> secure;
  std::vector<std::string> loopback_only;
};

// The documented fields have one scheme each. A field a company adds may be either kind.
SchemeRule scheme_rule(const std::string& key) {
  if (key == "streaming_base") {
    return {{"wss"}, {"ws"}};
  }
  if (key == "api_base" || key == "llm_gateway_base" || key == "ams_base" ||
      key == "stytch_domain" || key == "signup_url") {
    return {{"https"}, {"http"}};
  }
  return {{"https", "wss"}, {"http", "ws"}};
}

std::string join_with_or(const std::vector<std::string>& words) {
  std::string text;
  for (size_t i = 0; i < words.size(); ++i) {
    text += (i == 0 ? "" : " or ") + words[i];
  }
  return text;
}

bool contains(const std::vector<std::string>& words, const std::string& word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

std::optional<Problem> check_url(const std::string& key, const std::string& value, bool is_base) {
  const std::string quoted = key + " '" + value + "'";
  std::optional<UrlParts> url = split_url(value);
  if (!url) {
    return Problem{quoted + " is not an absolute URL",
                   "Write the whole URL, such as https://api.example.com."};
  }
  if (url->has_user_info) {
    return Problem{quoted + " must not contain a user name or password",
                   "Remove the part before '@'; credentials come from `aai login`."};
  }
  SchemeRule rule = scheme_rule(key);
  bool loopback = is_loopback_host(url->host);
  if (!contains(rule.secure, url->scheme) &&
      !(loopback && contains(rule.loopback_only, url->scheme))) {
    return Problem{quoted + " must use " + join_with_or(rule.secure) +
                       " (only loopback hosts may use " + join_with_or(rule.loopback_only) + ")",
                   "Use " + rule.secure.front() +
                       "://, or a loopback host (127.0.0.0/8, [::1] or "
                       "localhost) for a server on this machine."};
  }
  if (!is_base) {
    return std::nullopt;
  }
  if (url->rest.find_first_of("?#") != std::string::npos) {
    return Problem{quoted + " must not contain a query or fragment",
                   "Remove the part from '?' or '#' on."};
  }
  if (!url->rest.empty() && url->rest.back() == '/') {
    return Problem{quoted + " must not end with '/'",
                   "Remove the trailing '/'; commands add paths such as /v2/transcript to it."};
  }
  return std::nullopt;
}

}  // namespace

std::optional<Problem> check_environment_name(const std::string& name) {
  bool valid = !name.empty() && name[0] != '-' && std::all_of(name.begin(), name.end(), [](char c) {
    return is_lower_alnum(c) || c == '-';
  });
  if (valid) {
    return std::nullopt;
  }
  return Problem{
      "the name must contain only lower-case letters, digits and '-', and must not "
      "start with '-'",
      "Rename it, such as 'acme' or 'acme-eu'."};
}

std::optional<Problem> check_field_key(const std::string& key) {
  bool valid =
      !key.empty() && key[0] >= 'a' && key[0] <= 'z' &&
      std::all_of(key.begin(), key.end(), [](char c) { return is_lower_alnum(c) || c == '_'; });
  if (valid) {
    return std::nullopt;
  }
  return Problem{"the key '" + key +
                     "' must start with a lower-case letter and contain only "
                     "lower-case letters, digits and '_'",
                 "Rename the key, such as 'api_base' or 'region'."};
}

bool is_base_url_field(const std::string& key) {
  return key.ends_with("_base") || key == "stytch_domain";
}

std::optional<Problem> check_field_value(const std::string& key, const std::string& value) {
  if (is_base_url_field(key)) {
    return check_url(key, value, true);
  }
  if (key == "signup_url") {
    return check_url(key, value, false);
  }
  if (key == "login_state" && value != "query") {
    return Problem{"login_state '" + value + "' must be 'query' or left out",
                   "Set login_state = query only when the login provider returns the redirect "
                   "URL's query unchanged; otherwise remove the line."};
  }
  return std::nullopt;
}

bool is_loopback_host(const std::string& host) {
  std::string lower = to_lower(host);
  return lower == "localhost" || lower == "[::1]" || is_ipv4_loopback(lower);
}

}  // namespace env_registry
