#include "environment_field.hpp"

#include "url_origin.hpp"

#include <optional>
#include <string_view>

namespace aai::host {

namespace {

struct UrlParts {
  UrlOrigin origin;
  std::string path;  // without query or fragment; "" when the URL has none
};

std::optional<UrlParts> split_url(const std::string& url) {
  auto origin = parse_origin(url);
  if (!origin) {
    return std::nullopt;
  }
  size_t authority_start = url.find("://") + 3;
  size_t path_start = url.find_first_of("/?#", authority_start);
  std::string path;
  if (path_start != std::string::npos && url[path_start] == '/') {
    size_t path_end = url.find_first_of("?#", path_start);
    path = url.substr(path_start,
                      path_end == std::string::npos ? std::string::npos : path_end - path_start);
  }
  return UrlParts{*origin, path};
}

bool is_secure(const std::string& scheme) {
  return scheme == "https" || scheme == "wss";
}

// Whether a path segment is "." or "..", also when its dots are percent-encoded as %2e.
bool is_dot_segment(std::string_view segment) {
  std::string decoded;
  for (size_t i = 0; i < segment.size(); ++i) {
    if (segment.substr(i, 3) == "%2e" || segment.substr(i, 3) == "%2E") {
      decoded += '.';
      i += 2;
    } else {
      decoded += segment[i];
    }
  }
  return decoded == "." || decoded == "..";
}

bool has_dot_segment(std::string_view path) {
  while (!path.empty()) {
    size_t slash = path.find('/');
    if (is_dot_segment(path.substr(0, slash))) {
      return true;
    }
    if (slash == std::string_view::npos) {
      break;
    }
    path.remove_prefix(slash + 1);
  }
  return false;
}

std::string_view without_trailing_slashes(std::string_view path) {
  while (path.ends_with('/')) {
    path.remove_suffix(1);
  }
  return path;
}

// Whether `prefix` (a field's path without trailing slashes) covers `path` on a segment
// boundary: "/v1" covers "/v1" and "/v1/chat" but not "/v10".
bool covers(std::string_view prefix, std::string_view path) {
  if (!path.starts_with(prefix)) {
    return false;
  }
  return path.size() == prefix.size() || path[prefix.size()] == '/';
}

}  // namespace

const std::string* match_environment_field(const Environment& environment, const std::string& url) {
  auto request = split_url(url);
  if (!request || has_dot_segment(request->path)) {
    return nullptr;
  }
  const std::string* best = nullptr;
  size_t best_length = 0;
  bool best_exact_scheme = false;
  for (const auto& [name, value] : environment.fields) {
    auto field = split_url(value);
    if (!field || field->origin.host != request->origin.host ||
        field->origin.port != request->origin.port ||
        is_secure(field->origin.scheme) != is_secure(request->origin.scheme) ||
        !covers(without_trailing_slashes(field->path), request->path)) {
      continue;
    }
    size_t length = without_trailing_slashes(field->path).size();
    bool exact_scheme = field->origin.scheme == request->origin.scheme;
    if (best == nullptr || length > best_length ||
        (length == best_length && exact_scheme && !best_exact_scheme)) {
      best = &name;
      best_length = length;
      best_exact_scheme = exact_scheme;
    }
  }
  return best;
}

}  // namespace aai::host
