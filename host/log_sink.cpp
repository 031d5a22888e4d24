#include "log_sink.hpp"

#include <algorithm>

namespace aai::host {

namespace {
constexpr std::string_view kMask = "[redacted]";
constexpr size_t kMinSecretSize = 4;
}  // namespace

LogSink::LogSink(std::ostream& stream, int verbosity, bool quiet)
    : stream_(stream), verbosity_(verbosity), quiet_(quiet) {}

bool LogSink::is_enabled(aai_log_severity_t severity) const {
  if (severity >= AAI_LOG_WARNING) {
    return !quiet_;
  }
  return severity == AAI_LOG_INFO ? verbosity_ >= 1 : verbosity_ >= 2;
}

void LogSink::write(std::string_view source, aai_log_severity_t severity,
                    std::string_view message) {
  if (!is_enabled(severity)) {
    return;
  }
  std::string line = "[" + std::string(source) + "] " + mask(message) + "\n";
  std::lock_guard lock(mutex_);
  stream_ << line << std::flush;
}

void LogSink::add_secret(std::string_view secret) {
  if (secret.size() < kMinSecretSize) {
    return;
  }
  std::lock_guard lock(mutex_);
  if (std::find(secrets_.begin(), secrets_.end(), secret) != secrets_.end()) {
    return;
  }
  secrets_.emplace_back(secret);
  // Longest first, so a secret that contains another is masked whole.
  std::sort(secrets_.begin(), secrets_.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::string LogSink::mask(std::string_view text) const {
  std::string masked(text);
  std::lock_guard lock(mutex_);
  for (const auto& secret : secrets_) {
    for (size_t at = masked.find(secret); at != std::string::npos;
         at = masked.find(secret, at + kMask.size())) {
      masked.replace(at, secret.size(), kMask);
    }
  }
  return masked;
}

}  // namespace aai::host
