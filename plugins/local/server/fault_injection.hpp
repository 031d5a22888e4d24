// Injected failures for tests of clients: error statuses, connection resets, added latency and
// transcripts that end in error, chosen by --faults rules and a seeded random generator.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "server/api_response.hpp"

namespace aai::local {

/// The error text of a transcript that a `transcripts=error@P%` rule fails.
inline constexpr const char* kInjectedTranscriptError = "Injected fault: the transcription failed.";

/// One part of --faults.
struct FaultRule {
  enum class Kind {
    /// PATH=STATUSxCOUNT: the first `count` matching requests get the response status `status`.
    status_count,
    /// PATH=STATUS@P%: each matching request gets `status` with probability `percent`.
    status_chance,
    /// PATH=reset@P%: each matching request has its connection reset with probability `percent`.
    reset,
    /// PATH=delay:MS: each matching request gets its response `delay` later.
    delay,
    /// transcripts=error@P%: each new transcript ends in error with probability `percent`.
    transcript_error,
  };

  Kind kind = Kind::status_count;
  /// Upper-case HTTP method the rule is limited to; empty for every method.
  std::string method;
  /// Prefix of the request paths the rule matches; empty for transcript_error.
  std::string path_prefix;
  unsigned status = 0;
  unsigned count = 0;
  /// Probability in percent, greater than 0 and at most 100.
  double percent = 0.0;
  std::chrono::milliseconds delay{0};
};

/// A --faults SPEC that cannot be parsed; the message names the bad part.
class FaultSpecError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Parses SPEC, comma-separated rules `[METHOD ]PATH=RULE` where RULE is STATUSxCOUNT,
/// STATUS@P%, reset@P% or delay:MS, plus `transcripts=error@P%`. PATH starts with "/", STATUS is
/// 400 to 599, COUNT 1 to 1000000, P greater than 0 and at most 100, MS 1 to 60000. Throws
/// FaultSpecError naming the first bad part.
std::vector<FaultRule> parse_fault_spec(const std::string& spec);

/// Returns a one-line description of `rule` for the start-up log.
std::string describe_fault_rule(const FaultRule& rule);

/// The reset and the added latency that --faults gives one request's connection.
struct ConnectionFault {
  /// Whether to reset the connection (after part of the body, if there is one) with no response.
  bool reset = false;
  /// Added latency before the response is written.
  std::chrono::milliseconds delay{0};
};

/// Thread-safe. Decides, per request, which --faults rules fire. Rules of each kind apply in
/// --faults order and the first one that fires decides; delays of every matching rule add up.
class FaultInjector {
 public:
  explicit FaultInjector(std::vector<FaultRule> rules = {}, uint64_t seed = 0);

  /// Decides the reset and the delay of a request; the server calls it once the request head is
  /// read, before the key check.
  ConnectionFault connection_fault(const std::string& method, const std::string& path);

  /// Returns the injected error response for a request and counts it, or nullopt when no status
  /// rule fires. The response has the error shape of the API under `path` and `Retry-After: 1`.
  std::optional<ApiResponse> take(const std::string& method, const std::string& path);

  /// Returns whether a new transcript is to end in error, per the `transcripts=error@P%` rule.
  bool fail_transcript();

  /// Counts of the faults injected so far, by kind: "status", "reset", "delay",
  /// "transcript_error".
  std::map<std::string, uint64_t> counts() const;

 private:
  bool roll(double percent);

  mutable std::mutex mutex_;
  std::vector<FaultRule> rules_;
  std::mt19937_64 random_;
  std::map<std::string, uint64_t> counts_;
};

}  // namespace aai::local
