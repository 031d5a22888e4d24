// The auth-command credential provider: an API key from ASSEMBLYAI_API_KEY, or else from a
// configured command, kept in memory for the rest of the run.
#pragma once

#include <aai/plugin.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "credential_output.hpp"

namespace auth_command {

/// Config section of the plugin's settings (`command`, `timeout`).
inline constexpr const char* kConfigSection = "plugin.auth-command";

/// Time limit for one run of the command when `plugin.auth-command.timeout` is unset.
inline constexpr std::chrono::seconds kDefaultTimeout{30};

/// How long before its expires_at a key is fetched again, so that a request in flight does not
/// carry a key that expires on the way.
inline constexpr std::chrono::seconds kRefreshMargin{30};

/// Attaches an API key to requests that need one. The key comes from ASSEMBLYAI_API_KEY when set,
/// and otherwise from the command in `plugin.auth-command.command`, which runs once and again
/// only when its key's expires_at (minus kRefreshMargin) has passed or the profile, environment
/// or command changed. Nothing is kept across runs.
class CommandCredentials {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  /// `now` is the wall clock that expires_at is compared with. Tests pass a fake one.
  explicit CommandCredentials(Clock now = [] { return std::chrono::system_clock::now(); });

  /// The provider's pre-request step. Requests to hosts outside the active environment, and to
  /// fields that never take an API key (ams_base, stytch_domain, ...), go out without one and
  /// without running the command. Throws aai::Error when a key is needed and none can be had.
  void attach(const aai::Host& host, const aai::RequestEditor& editor);

 private:
  // The command line, profile and environment a cached key was fetched for. A change in any of
  // them runs the command again.
  struct CacheScope {
    std::string command_line;
    std::string profile;
    std::string environment;

    bool operator==(const CacheScope&) const = default;
  };

  struct CachedKey {
    CacheScope scope;
    std::string api_key;
    std::optional<std::chrono::system_clock::time_point> refresh_at;
  };

  std::string api_key(const aai::Host& host);
  CommandCredential run_command(const aai::Host& host, const CacheScope& scope) const;
  void remember(const aai::Host& host, const CacheScope& scope,
                const CommandCredential& credential);

  Clock now_;
  std::optional<CachedKey> cached_;
};

/// Reads `plugin.auth-command.timeout` (seconds, may have a fraction), or kDefaultTimeout when
/// unset. Throws invalid_config (exit 2) for anything but a number in (0, 3600].
std::chrono::milliseconds configured_timeout(const aai::Host& host);

/// Returns ASSEMBLYAI_API_KEY without surrounding whitespace, or nullopt when unset or blank.
std::optional<std::string> api_key_from_environment();

}  // namespace auth_command
