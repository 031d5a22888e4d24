// Injected failures for tests of clients: the first N requests under a path get an error status.
#pragma once

#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "server/api_response.hpp"

namespace aai::local {

/// One part of --faults: the first `count` requests whose path starts with `path_prefix` are
/// answered `status`.
struct FaultRule {
  std::string path_prefix;
  unsigned status = 0;
  unsigned count = 0;
};

/// A --faults SPEC that cannot be parsed; the message names the bad part.
class FaultSpecError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Parses SPEC, comma-separated `PATH=STATUSxCOUNT` parts such as
/// "/v1/chat/completions=429x2,/v2/transcript=503x1". PATH starts with "/", STATUS is 400 to 599
/// and COUNT is 1 to 1000000. Throws FaultSpecError naming the first bad part.
std::vector<FaultRule> parse_fault_spec(const std::string& spec);

/// Thread-safe. Rules apply in --faults order; a request takes one failure from the first rule
/// whose prefix matches and has failures left.
class FaultInjector {
 public:
  explicit FaultInjector(std::vector<FaultRule> rules = {});

  /// Returns the injected error response for a request to `path`, in the error shape of the API
  /// under that path, with `Retry-After: 1`, and counts it; nullopt when no failure is left.
  std::optional<ApiResponse> take(const std::string& path);

 private:
  std::mutex mutex_;
  std::vector<FaultRule> remaining_;
};

}  // namespace aai::local
