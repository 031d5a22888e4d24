// Log lines on stderr: `[plugin-name] message`, filtered by verbosity, with secrets masked.
#pragma once

#include <aai/plugin.h>

#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace aai::host {

class LogSink {
 public:
  /// `verbosity` is the -v count (0 to 2); `quiet` hides warnings and errors too.
  LogSink(std::ostream& stream, int verbosity, bool quiet);

  /// Writes `[source] message` when `severity` passes the filter. [any-thread]
  void write(std::string_view source, aai_log_severity_t severity, std::string_view message);

  /// Registers a secret that later lines replace with "[redacted]". Values shorter than 4
  /// characters are ignored because masking them would garble ordinary words. [any-thread]
  void add_secret(std::string_view secret);

  /// Returns `text` with every registered secret replaced by "[redacted]". [any-thread]
  std::string mask(std::string_view text) const;

  bool is_enabled(aai_log_severity_t severity) const;
  int verbosity() const { return verbosity_; }

 private:
  std::ostream& stream_;
  int verbosity_;
  bool quiet_;
  mutable std::mutex mutex_;
  std::vector<std::string> secrets_;
};

}  // namespace aai::host
