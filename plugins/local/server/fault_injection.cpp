#include "server/fault_injection.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <sstream>

#include <boost/beast/http/status.hpp>

#include "server/gateway_errors.hpp"

namespace aai::local {

namespace {

constexpr const char* kRuleForms =
    "[METHOD ]PATH=RULE with RULE one of STATUSxCOUNT, STATUS@P%, reset@P% or delay:MS, or "
    "transcripts=error@P%, as in /v2/transcript=503x2";

constexpr const char* kTranscriptsName = "transcripts";

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

// Parses "P%" where P is a plain decimal number (digits with at most one point) above 0 and at
// most 100.
std::optional<double> parse_percent(std::string_view text) {
  if (text.size() < 2 || text.back() != '%') {
    return std::nullopt;
  }
  text.remove_suffix(1);
  bool digits_only = std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '.';
  });
  if (!digits_only || std::count(text.begin(), text.end(), '.') > 1 || text.front() == '.' ||
      text.back() == '.') {
    return std::nullopt;
  }
  double value = 0.0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value <= 0.0 || value > 100.0) {
    return std::nullopt;
  }
  return value;
}

bool is_method(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isupper(static_cast<unsigned char>(c)) != 0;
  });
}

// Parses the part after "=" of a PATH rule into `rule`.
void parse_path_rule(const std::string& quoted, std::string_view action, FaultRule& rule) {
  const std::string percent_error =
      quoted +
      " has a probability that is not a percentage above 0 and at most 100, such as 5% "
      "or 0.5%.";
  if (action.rfind("reset@", 0) == 0) {
    auto percent = parse_percent(action.substr(6));
    if (!percent) {
      throw FaultSpecError(percent_error);
    }
    rule.kind = FaultRule::Kind::reset;
    rule.percent = *percent;
    return;
  }
  if (action.rfind("delay:", 0) == 0) {
    auto milliseconds = parse_number(action.substr(6), 1, 60000);
    if (!milliseconds) {
      throw FaultSpecError(quoted +
                           " has a delay that is not a number of milliseconds from 1 to "
                           "60000.");
    }
    rule.kind = FaultRule::Kind::delay;
    rule.delay = std::chrono::milliseconds(*milliseconds);
    return;
  }
  if (action.rfind("error@", 0) == 0) {
    throw FaultSpecError(quoted +
                         " uses error@P%, which applies only to transcripts, as in "
                         "transcripts=error@10%.");
  }
  size_t at = action.find('@');
  size_t times = action.find('x');
  size_t separator = at != std::string_view::npos ? at : times;
  if (separator == std::string_view::npos) {
    throw FaultSpecError(quoted + " is not " + kRuleForms + ".");
  }
  auto status = parse_number(action.substr(0, separator), 400, 599);
  if (!status) {
    throw FaultSpecError(quoted +
                         " has a STATUS that is not an HTTP error status from 400 to 599.");
  }
  rule.status = *status;
  if (at != std::string_view::npos) {
    auto percent = parse_percent(action.substr(at + 1));
    if (!percent) {
      throw FaultSpecError(percent_error);
    }
    rule.kind = FaultRule::Kind::status_chance;
    rule.percent = *percent;
    return;
  }
  auto count = parse_number(action.substr(times + 1), 1, 1000000);
  if (!count) {
    throw FaultSpecError(quoted + " has a COUNT that is not a number from 1 to 1000000.");
  }
  rule.kind = FaultRule::Kind::status_count;
  rule.count = *count;
}

FaultRule parse_rule(const std::string& part) {
  const std::string quoted = "--faults part \"" + part + "\"";
  size_t equals = part.rfind('=');
  if (equals == std::string::npos) {
    throw FaultSpecError(quoted + " is not " + kRuleForms + ".");
  }
  std::string target = part.substr(0, equals);
  std::string_view action = std::string_view(part).substr(equals + 1);
  FaultRule rule;
  if (target == kTranscriptsName) {
    auto percent = action.rfind("error@", 0) == 0 ? parse_percent(action.substr(6)) : std::nullopt;
    if (!percent) {
      throw FaultSpecError(quoted +
                           " is not transcripts=error@P% with P above 0 and at most "
                           "100, as in transcripts=error@10%.");
    }
    rule.kind = FaultRule::Kind::transcript_error;
    rule.percent = *percent;
    return rule;
  }
  size_t space = target.find(' ');
  if (space != std::string::npos) {
    rule.method = target.substr(0, space);
    target.erase(0, space + 1);
    if (!is_method(rule.method)) {
      throw FaultSpecError(quoted + " has the method \"" + rule.method +
                           "\"; write an upper-case HTTP method, one space and the path, as in "
                           "GET /v2/transcript/=reset@5%.");
    }
  }
  if (target.empty() || target.front() != '/') {
    throw FaultSpecError(quoted + " must start with a path such as /v1/chat/completions.");
  }
  rule.path_prefix = target;
  parse_path_rule(quoted, action, rule);
  return rule;
}

bool matches(const FaultRule& rule, const std::string& method, const std::string& path) {
  return (rule.method.empty() || rule.method == method) && path.rfind(rule.path_prefix, 0) == 0;
}

std::string format_percent(double percent) {
  std::ostringstream text;
  text << percent << "%";
  return text.str();
}

}  // namespace

std::vector<FaultRule> parse_fault_spec(const std::string& spec) {
  if (spec.empty()) {
    throw FaultSpecError(std::string("--faults must not be empty; give ") + kRuleForms + ".");
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

std::string describe_fault_rule(const FaultRule& rule) {
  const std::string requests =
      "requests under " + (rule.method.empty() ? "" : rule.method + " ") + rule.path_prefix;
  switch (rule.kind) {
    case FaultRule::Kind::status_count:
      return "the first " + std::to_string(rule.count) + " " + requests + " get HTTP " +
             std::to_string(rule.status);
    case FaultRule::Kind::status_chance:
      return format_percent(rule.percent) + " of " + requests + " get HTTP " +
             std::to_string(rule.status);
    case FaultRule::Kind::reset:
      return format_percent(rule.percent) + " of " + requests + " have their connection reset";
    case FaultRule::Kind::delay:
      return requests + " are answered " + std::to_string(rule.delay.count()) + " ms later";
    case FaultRule::Kind::transcript_error:
      return format_percent(rule.percent) + " of new transcripts end in error";
  }
  return {};
}

FaultInjector::FaultInjector(std::vector<FaultRule> rules, uint64_t seed)
    : rules_(std::move(rules)),
      random_(seed),
      counts_{{"status", 0}, {"reset", 0}, {"delay", 0}, {"transcript_error", 0}} {}

bool FaultInjector::roll(double percent) {
  return std::uniform_real_distribution<double>(0.0, 100.0)(random_) < percent;
}

ConnectionFault FaultInjector::connection_fault(const std::string& method,
                                                const std::string& path) {
  std::lock_guard lock(mutex_);
  ConnectionFault fault;
  for (const FaultRule& rule : rules_) {
    if (!matches(rule, method, path)) {
      continue;
    }
    if (rule.kind == FaultRule::Kind::delay) {
      fault.delay += rule.delay;
    } else if (rule.kind == FaultRule::Kind::reset && !fault.reset && roll(rule.percent)) {
      fault.reset = true;
    }
  }
  if (fault.reset) {
    ++counts_["reset"];
  } else if (fault.delay.count() > 0) {
    ++counts_["delay"];
  }
  return fault;
}

std::optional<ApiResponse> FaultInjector::take(const std::string& method, const std::string& path) {
  unsigned status = 0;
  {
    std::lock_guard lock(mutex_);
    for (FaultRule& rule : rules_) {
      if (!matches(rule, method, path)) {
        continue;
      }
      if (rule.kind == FaultRule::Kind::status_count && rule.count > 0) {
        --rule.count;
        status = rule.status;
        break;
      }
      if (rule.kind == FaultRule::Kind::status_chance && roll(rule.percent)) {
        status = rule.status;
        break;
      }
    }
    if (status == 0) {
      return std::nullopt;
    }
    ++counts_["status"];
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

bool FaultInjector::fail_transcript() {
  std::lock_guard lock(mutex_);
  for (const FaultRule& rule : rules_) {
    if (rule.kind == FaultRule::Kind::transcript_error && roll(rule.percent)) {
      ++counts_["transcript_error"];
      return true;
    }
  }
  return false;
}

std::map<std::string, uint64_t> FaultInjector::counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

}  // namespace aai::local
