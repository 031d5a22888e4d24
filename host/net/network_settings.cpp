#include "host/net/network_settings.hpp"

#include "host/url_origin.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <system_error>

namespace aai::host {

namespace {

// A timeout above an hour is almost certainly a typo (milliseconds for seconds).
constexpr double kMaxTimeoutSeconds = 3600;

std::string to_lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string trim(const std::string& text) {
  const size_t first = text.find_first_not_of(" \t");
  if (first == std::string::npos) {
    return "";
  }
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// The place a setting was read from, named in messages and suggestions.
struct SettingSource {
  std::string name;        // "AAI_READ_TIMEOUT" or "network.read_timeout in PATH"
  std::string suggestion;  // how to fix it
};

SettingSource variable_source(const std::string& variable, const std::string& example) {
  return {variable, "Set " + variable + " to " + example + ", or unset it."};
}

SettingSource config_source(const std::string& key, const std::string& path,
                            const std::string& example) {
  return {"network." + key + " in " + path,
          "Fix it with `aai config set network." + key + " " + example + "`."};
}

std::chrono::milliseconds parse_seconds(const std::string& value, const SettingSource& source) {
  const std::string text = trim(value);
  char* end = nullptr;
  errno = 0;
  const double seconds = text.empty() ? 0 : std::strtod(text.c_str(), &end);
  const bool parsed = !text.empty() && errno == 0 && end == text.c_str() + text.size() &&
                      std::isfinite(seconds) && seconds > 0 && seconds <= kMaxTimeoutSeconds;
  // strtod also reads hexadecimal and "inf"; only plain decimal numbers are accepted.
  const bool decimal = std::all_of(
      text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c) != 0 || c == '.'; });
  const auto milliseconds = static_cast<long>(std::llround(seconds * 1000));
  if (!parsed || !decimal || milliseconds < 1) {
    throw NetworkSettingError("Invalid value '" + value + "' for " + source.name +
                                  ": expected seconds greater than 0 and at most 3600.",
                              source.suggestion);
  }
  return std::chrono::milliseconds(milliseconds);
}

unsigned parse_retries(const std::string& value, const SettingSource& source) {
  const std::string text = trim(value);
  const bool digits =
      !text.empty() && text.size() <= 2 &&
      std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
  if (!digits || std::stoul(text) > kMaxRetriesSetting) {
    throw NetworkSettingError("Invalid value '" + value + "' for " + source.name +
                                  ": expected a whole number from 0 to 10.",
                              source.suggestion);
  }
  return static_cast<unsigned>(std::stoul(text));
}

// The value of a variable spelled in lower or upper case; the lower case wins, as in curl.
std::optional<std::pair<std::string, std::string>> proxy_variable(
    const EnvironmentLookup& environment, const std::string& lower_name) {
  std::string upper_name = lower_name;
  std::transform(upper_name.begin(), upper_name.end(), upper_name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  for (const std::string& name : {lower_name, upper_name}) {
    const char* value = environment(name.c_str());
    if (value != nullptr && *value != '\0') {
      return std::make_pair(name, std::string(value));
    }
  }
  return std::nullopt;
}

std::optional<ProxyServer> read_proxy(const EnvironmentLookup& environment,
                                      const std::string& lower_name) {
  auto variable = proxy_variable(environment, lower_name);
  if (!variable) {
    return std::nullopt;
  }
  auto proxy = parse_proxy_url(variable->second);
  if (!proxy) {
    // The value may carry a password, so the message quotes only its shape.
    throw NetworkSettingError("Invalid proxy URL in " + variable->first +
                                  ": expected http://[USER:PASSWORD@]HOST[:PORT].",
                              "Fix " + variable->first + ", or unset it to connect directly.");
  }
  return proxy;
}

std::string percent_decode(const std::string& text, bool& valid) {
  std::string decoded;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      decoded += text[i];
      continue;
    }
    if (i + 2 >= text.size() || !std::isxdigit(static_cast<unsigned char>(text[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      valid = false;
      return "";
    }
    decoded += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
    i += 2;
  }
  return decoded;
}

void check_readable_file(const std::filesystem::path& path, const std::string& variable) {
  std::error_code error;
  std::string reason;
  if (!std::filesystem::exists(path, error)) {
    reason = "No such file or directory";
  } else if (!std::filesystem::is_regular_file(path, error)) {
    reason = "not a regular file";
  } else if (!std::ifstream(path).is_open()) {
    reason = std::strerror(errno);
  }
  if (!reason.empty()) {
    throw NetworkSettingError("Failed to read the CA file '" + path.string() + "' named by " +
                                  variable + ": " + reason + ".",
                              "Point " + variable + " at a readable PEM file, or unset it.");
  }
}

void check_readable_folder(const std::filesystem::path& path, const std::string& variable) {
  std::error_code error;
  if (!std::filesystem::is_directory(path, error)) {
    throw NetworkSettingError("Failed to read the CA folder '" + path.string() + "' named by " +
                                  variable + ": not a directory.",
                              "Point " + variable + " at a folder of PEM files, or unset it.");
  }
}

}  // namespace

std::optional<ProxyServer> parse_proxy_url(const std::string& value) {
  std::string rest = trim(value);
  const size_t scheme_end = rest.find("://");
  if (scheme_end != std::string::npos) {
    if (to_lower(rest.substr(0, scheme_end)) != "http") {
      return std::nullopt;
    }
    rest = rest.substr(scheme_end + 3);
  }
  // A path after the authority ("http://proxy:3128/") is allowed and ignored, as curl does.
  rest = rest.substr(0, rest.find('/'));

  ProxyServer proxy;
  const size_t at = rest.rfind('@');
  if (at != std::string::npos) {
    const std::string user_info = rest.substr(0, at);
    const size_t colon = user_info.find(':');
    bool valid = true;
    proxy.username = percent_decode(user_info.substr(0, colon), valid);
    if (colon != std::string::npos) {
      proxy.password = percent_decode(user_info.substr(colon + 1), valid);
    }
    if (!valid) {
      return std::nullopt;
    }
    rest = rest.substr(at + 1);
  }

  auto origin = parse_origin("http://" + rest);
  if (!origin || rest.find_first_of("?# ") != std::string::npos) {
    return std::nullopt;
  }
  proxy.host = origin->host;
  const bool has_port =
      rest.back() != ']' && rest.find(':', rest.rfind(']') + 1) != std::string::npos;
  proxy.port = has_port ? origin->port : 1080;
  return proxy;
}

std::vector<NoProxyEntry> parse_no_proxy(const std::string& value) {
  std::vector<NoProxyEntry> entries;
  size_t start = 0;
  while (start <= value.size()) {
    size_t end = value.find(',', start);
    if (end == std::string::npos) {
      end = value.size();
    }
    std::string item = to_lower(trim(value.substr(start, end - start)));
    start = end + 1;
    if (item.empty()) {
      continue;
    }
    NoProxyEntry entry;
    // A port follows the last colon, except inside an unbracketed IPv6 address (two colons).
    const size_t bracket = item.find(']');
    const size_t colon = item.rfind(':');
    const bool bracketed = item.front() == '[' && bracket != std::string::npos;
    const bool has_port =
        colon != std::string::npos && (bracketed ? colon > bracket : item.find(':') == colon);
    if (has_port) {
      const std::string port = item.substr(colon + 1);
      if (!port.empty() && port.size() <= 5 &&
          std::all_of(port.begin(), port.end(),
                      [](unsigned char c) { return std::isdigit(c) != 0; })) {
        entry.port = std::stoi(port);
      }
      item = item.substr(0, colon);
    }
    if (item.size() > 1 && item.front() == '[' && item.back() == ']') {
      item = item.substr(1, item.size() - 2);
    }
    while (!item.empty() && item.front() == '.') {
      item.erase(0, 1);
    }
    if (!item.empty()) {
      entry.host = item;
      entries.push_back(entry);
    }
  }
  return entries;
}

bool is_excluded_from_proxy(const std::vector<NoProxyEntry>& no_proxy, const std::string& host,
                            int port) {
  std::string name = to_lower(host);
  if (name.size() > 1 && name.front() == '[' && name.back() == ']') {
    name = name.substr(1, name.size() - 2);
  }
  for (const auto& entry : no_proxy) {
    if (entry.port != 0 && entry.port != port) {
      continue;
    }
    if (entry.host == "*" || name == entry.host ||
        (name.size() > entry.host.size() && name.ends_with(entry.host) &&
         name[name.size() - entry.host.size() - 1] == '.')) {
      return true;
    }
  }
  return false;
}

std::optional<ProxyServer> proxy_for_url(const NetworkSettings& settings, const std::string& url) {
  auto origin = parse_origin(url);
  if (!origin || is_excluded_from_proxy(settings.no_proxy, origin->host, origin->port)) {
    return std::nullopt;
  }
  const bool secure = origin->scheme == "https" || origin->scheme == "wss";
  const auto& chosen = secure ? settings.https_proxy : settings.http_proxy;
  return chosen ? chosen : settings.all_proxy;
}

NetworkSettings read_network_settings(const ConfigLookup& config,
                                      const EnvironmentLookup& environment,
                                      const std::string& config_path) {
  NetworkSettings settings;
  struct Timeout {
    const char* key;
    const char* variable;
    const char* example;
    std::chrono::milliseconds* target;
  };
  for (const Timeout& timeout :
       {Timeout{"connect_timeout", "AAI_CONNECT_TIMEOUT", "10", &settings.connect_timeout},
        Timeout{"read_timeout", "AAI_READ_TIMEOUT", "60", &settings.read_timeout}}) {
    if (auto value = config(timeout.key)) {
      *timeout.target =
          parse_seconds(*value, config_source(timeout.key, config_path, timeout.example));
    }
    if (const char* value = environment(timeout.variable)) {
      *timeout.target = parse_seconds(
          value,
          variable_source(timeout.variable, std::string("seconds such as ") + timeout.example));
    }
  }
  if (auto value = config("retries")) {
    settings.retries = parse_retries(*value, config_source("retries", config_path, "4"));
  }
  if (const char* value = environment("AAI_RETRIES")) {
    settings.retries = parse_retries(value, variable_source("AAI_RETRIES", "a count such as 4"));
  }

  settings.https_proxy = read_proxy(environment, "https_proxy");
  settings.http_proxy = read_proxy(environment, "http_proxy");
  settings.all_proxy = read_proxy(environment, "all_proxy");
  if (auto no_proxy = proxy_variable(environment, "no_proxy")) {
    settings.no_proxy = parse_no_proxy(no_proxy->second);
  }

  if (const char* file = environment("SSL_CERT_FILE"); file != nullptr && *file != '\0') {
    settings.ca_file = file;
    check_readable_file(settings.ca_file, "SSL_CERT_FILE");
  }
  if (const char* folder = environment("SSL_CERT_DIR"); folder != nullptr && *folder != '\0') {
    settings.ca_dir = folder;
    check_readable_folder(settings.ca_dir, "SSL_CERT_DIR");
  }
  return settings;
}

}  // namespace aai::host
