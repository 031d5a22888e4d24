#include "server/fault_injection.hpp"

#include <charconv>

#include <boost/beast/http/status.hpp>

#include "server/gateway_errors.hpp"

namespace aai::local {

namespace {

constexpr const char* kSpecForm = "PATH=STATUSxCOUNT, as in /v1/chat/completions=429x2";

// Parses all of `text` as a decimal number from `minimum` to `maximum`.
std::optional<unsigned> parse_number(std::string_view text, unsigned minimum, unsigned maximum) {
  unsigned value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < minimum ||
      value > maximum) {
    return std::nullopt;
  }
  return value;
}

FaultRule parse_rule(const std::string& part) {
  const std::string quoted = "--faults part \"" + part + "\"";
  size_t equals = part.rfind('=');
  size_t times = part.rfind('x');
  if (equals == std::string::npos || times == std::string::npos || times < equals) {
    throw FaultSpecError(quoted + " is not " + kSpecForm + ".");
  }
  FaultRule rule;
  rule.path_prefix = part.substr(0, equals);
  if (rule.path_prefix.empty() || rule.path_prefix.front() != '/') {
    throw FaultSpecError(quoted + " must start with a path such as /v1/chat/completions.");
  }
  std::string_view spec(part);
  auto status = parse_number(spec.substr(equals + 1, times - equals - 1), 400, 599);
  if (!status) {
    throw FaultSpecError(quoted +
                         " has a STATUS that is not an HTTP error status from 400 to 599.");
  }
  auto count = parse_number(spec.substr(times + 1), 1, 1000000);
  if (!count) {
    throw FaultSpecError(quoted + " has a COUNT that is not a number from 1 to 1000000.");
  }
  rule.status = *status;
  rule.count = *count;
  return rule;
}

}  // namespace

std::vector<FaultRule> parse_fault_spec(const std::string& spec) {
  if (spec.empty()) {
    throw FaultSpecError(std::string("--faults must not be empty; give ") + kSpecForm + ".");
  }
  std::vector<FaultRule> rules;
  size_t start = 0;
  for (;;) {
    size_t comma = spec.find(',', start);
    std::string part = spec.substr(start, comma == std::string::npos ? comma : comma - start);
    if (part.empty()) {
      throw FaultSpecError("--faults \"" + spec + "\" has an empty part between commas.");
    }
    rules.push_back(parse_rule(part));
    if (comma == std::string::npos) {
      return rules;
    }
    start = comma + 1;
  }
}

FaultInjector::FaultInjector(std::vector<FaultRule> rules) : remaining_(std::move(rules)) {}

std::optional<ApiResponse> FaultInjector::take(const std::string& path) {
  unsigned status = 0;
  {
    std::lock_guard lock(mutex_);
    for (FaultRule& rule : remaining_) {
      if (rule.count > 0 && path.rfind(rule.path_prefix, 0) == 0) {
        --rule.count;
        status = rule.status;
        break;
      }
    }
  }
  if (status == 0) {
    return std::nullopt;
  }
  std::string reason(
      boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(status)));
  std::string message = "HTTP " + std::to_string(status) + " (" + reason +
                        ") injected by the emulator's --faults option.";
  ApiResponse response =
      is_gateway_path(path) ? gateway_error(status, message) : error_response(status, message);
  response.headers.emplace_back("Retry-After", "1");
  return response;
}

}  // namespace aai::local
