#include "command_credentials.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <system_error>
#include <utility>

#include "command_errors.hpp"
#include "shell_command.hpp"

namespace auth_command {
namespace {

constexpr double kMaxTimeoutSeconds = 3600;

std::optional<std::string> configured_command(const aai::Host& host) {
  const std::optional<std::string> value = host.config(kConfigSection, "command");
  if (!value || trim(*value).empty()) {
    return std::nullopt;
  }
  return std::string(trim(*value));
}

}  // namespace

std::chrono::milliseconds configured_timeout(const aai::Host& host) {
  const std::optional<std::string> value = host.config(kConfigSection, "timeout");
  if (!value) {
    return kDefaultTimeout;
  }
  const std::string_view text = trim(*value);
  double seconds = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
      !(seconds > 0 && seconds <= kMaxTimeoutSeconds)) {
    throw invalid_timeout_error(*value);
  }
  return std::chrono::milliseconds(static_cast<int64_t>(std::ceil(seconds * 1000)));
}

std::optional<std::string> api_key_from_environment() {
  const char* value = std::getenv("ASSEMBLYAI_API_KEY");
  if (value == nullptr || trim(value).empty()) {
    return std::nullopt;
  }
  return std::string(trim(value));
}

CommandCredentials::CommandCredentials(Clock now) : now_(std::move(now)) {}

void CommandCredentials::attach(const aai::Host& host, const aai::RequestEditor& editor) {
  if (!editor.is_environment_host()) {
    return;
  }
  const std::optional<std::string> field = editor.environment_field();
  if (!aai::api_key_authorization(field, "")) {
    return;
  }

  const std::string key = api_key(host);
  // Registered before use so that even a -vv line the host writes about this request masks it.
  host.add_secret(key);
  if (!editor.set_credential_header("Authorization", *aai::api_key_authorization(field, key))) {
    throw aai::Error(AAI_EXIT_FAILURE, "internal_error",
                     "The host refused the Authorization header for " + editor.url() + ".",
                     "Run the command again with -vv and report the output.");
  }
}

std::string CommandCredentials::api_key(const aai::Host& host) {
  if (std::optional<std::string> key = api_key_from_environment()) {
    return *key;
  }
  const std::optional<std::string> command_line = configured_command(host);
  if (!command_line) {
    throw command_not_configured_error();
  }

  const CacheScope scope{*command_line, host.profile(), host.environment()};
  if (cached_ && cached_->scope == scope &&
      (!cached_->refresh_at || now_() < *cached_->refresh_at)) {
    return cached_->api_key;
  }
  const CommandCredential credential = run_command(host, scope);
  remember(host, scope, credential);
  return credential.api_key;
}

CommandCredential CommandCredentials::run_command(const aai::Host& host,
                                                  const CacheScope& scope) const {
  ShellCommand command;
  command.command_line = scope.command_line;
  command.extra_environment = {{"AAI_PROFILE", scope.profile}, {"AAI_ENV", scope.environment}};
  command.timeout = configured_timeout(host);
  command.max_output_bytes = kMaxOutputBytes;
  command.is_interrupted = [&host] { return host.is_interrupted(); };

  host.debug("Running the credential command '" + scope.command_line + "' for profile '" +
             scope.profile + "' and environment '" + scope.environment + "'.");
  ShellResult result;
  try {
    result = run_shell_command(command);
  } catch (const std::system_error& error) {
    throw command_start_error(scope.command_line, error);
  }
  if (result.outcome != ShellResult::Outcome::kExited || result.status != 0) {
    throw command_result_error(scope.command_line, result, command.timeout);
  }

  ParsedOutput parsed = parse_command_output(result.output);
  if (!parsed.credential) {
    throw command_output_error(scope.command_line, parsed.error);
  }
  host.add_secret(parsed.credential->api_key);
  return std::move(*parsed.credential);
}

void CommandCredentials::remember(const aai::Host& host, const CacheScope& scope,
                                  const CommandCredential& credential) {
  std::optional<std::chrono::system_clock::time_point> refresh_at;
  if (credential.expires_at) {
    refresh_at = *credential.expires_at - kRefreshMargin;
    const auto seconds_left =
        std::chrono::duration_cast<std::chrono::seconds>(*refresh_at - now_()).count();
    host.debug("The credential command's key is reused for " + std::to_string(seconds_left) +
               " s, until 30 s before its expires_at.");
  } else {
    host.debug("The credential command's key is reused for the rest of this run.");
  }
  cached_ = CachedKey{scope, credential.api_key, refresh_at};
}

}  // namespace auth_command
