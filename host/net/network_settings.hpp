// The host's network settings (timeouts, retries, proxies, CA files) and how they are read from
// the config file and the environment. Plain C++ with no network library, so the host core and
// libaai-net.so can both use it. See docs/network.md.
#pragma once

#include "http_transport.hpp"

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace aai::host {

/// An invalid setting: the message names the value and where it came from, the suggestion how
/// to fix it. The host reports it as exit 2 `invalid_config`.
class NetworkSettingError : public std::runtime_error {
 public:
  NetworkSettingError(const std::string& message, std::string suggestion)
      : std::runtime_error(message), suggestion_(std::move(suggestion)) {}

  const std::string& suggestion() const { return suggestion_; }

 private:
  std::string suggestion_;
};

/// One NO_PROXY entry: a host name, domain suffix or IP address, with an optional port.
struct NoProxyEntry {
  /// Lower case, without a leading dot and without IPv6 brackets; "*" matches every host.
  std::string host;
  /// 0 matches every port.
  int port = 0;
};

struct NetworkSettings {
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  /// How long a request may go without sending or receiving a byte.
  std::chrono::milliseconds read_timeout{std::chrono::seconds(60)};
  /// Retries of requests that are safe to repeat when the plugin asked for none.
  unsigned retries = 4;

  std::optional<ProxyServer> https_proxy;
  std::optional<ProxyServer> http_proxy;
  std::optional<ProxyServer> all_proxy;
  std::vector<NoProxyEntry> no_proxy;

  /// SSL_CERT_FILE and SSL_CERT_DIR; empty when unset.
  std::filesystem::path ca_file;
  std::filesystem::path ca_dir;
};

/// The largest value of the retries setting.
inline constexpr unsigned kMaxRetriesSetting = 10;

/// Returns a variable's value, or nullptr when unset (std::getenv in the host).
using EnvironmentLookup = std::function<const char*(const char* name)>;

/// Returns network.KEY from the config file, or nullopt when unset.
using ConfigLookup = std::function<std::optional<std::string>(const std::string& key)>;

/// Reads the settings: the config file's [network] section (connect_timeout, read_timeout,
/// retries), overridden by AAI_CONNECT_TIMEOUT, AAI_READ_TIMEOUT and AAI_RETRIES, then the proxy
/// variables (the lower-case spelling wins when both are set) and SSL_CERT_FILE / SSL_CERT_DIR.
/// `config_path` is only quoted in messages. Throws NetworkSettingError for an invalid value, a
/// malformed proxy URL, or a CA file or folder that cannot be read.
NetworkSettings read_network_settings(const ConfigLookup& config,
                                      const EnvironmentLookup& environment,
                                      const std::string& config_path);

/// Parses a proxy URL such as http://user:pass@proxy:3128 (no scheme means http://, no port
/// means 1080, as curl does). Returns nullopt when it is malformed or uses a scheme other than
/// http.
std::optional<ProxyServer> parse_proxy_url(const std::string& value);

/// Parses a NO_PROXY value: comma-separated entries, blanks ignored.
std::vector<NoProxyEntry> parse_no_proxy(const std::string& value);

/// Whether NO_PROXY excludes `host` (as in a URL, IPv6 in brackets) on `port`. A host matches an
/// entry equal to it or one it ends with after a dot, so both ".example.com" and "example.com"
/// match "api.example.com".
bool is_excluded_from_proxy(const std::vector<NoProxyEntry>& no_proxy, const std::string& host,
                            int port);

/// Chooses the proxy for an http, https, ws or wss URL: https_proxy for https and wss,
/// http_proxy for http and ws, all_proxy when that one is unset, and none when NO_PROXY excludes
/// the host or the URL does not parse. Loopback hosts are treated like any other host.
std::optional<ProxyServer> proxy_for_url(const NetworkSettings& settings, const std::string& url);

}  // namespace aai::host
