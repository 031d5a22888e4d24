#include "ams_reply.hpp"

#include <algorithm>
#include <cctype>

namespace auth_stytch {

namespace {

// Long details are cut so an HTML error page from a proxy cannot flood the terminal.
constexpr size_t kMaxDetailLength = 300;

constexpr const char* kRetrySuggestion =
    "Run `aai login` again; if it fails the same way, run it with -vv and report the output.";

// Returns the `detail` member of an error body ({"detail": "..."}), or empty when there is none.
std::string error_detail(const std::string& body) {
  const nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
  if (!parsed.is_object() || !parsed.contains("detail")) {
    return {};
  }
  const nlohmann::json& detail = parsed["detail"];
  std::string text = detail.is_string() ? detail.get<std::string>() : detail.dump();
  if (text.size() > kMaxDetailLength) {
    text = text.substr(0, kMaxDetailLength) + "...";
  }
  return text;
}

}  // namespace

aai::Error unexpected_ams_reply(const std::string& request_line) {
  return aai::Error(AAI_EXIT_FAILURE, "api_error",
                    "The account service sent an unexpected reply to " + request_line + ".",
                    kRetrySuggestion);
}

aai::Error ams_status_error(int status, const std::string& body, const std::string& request_line) {
  const std::string detail = error_detail(body);
  const std::string code = "HTTP " + std::to_string(status);
  if (status == 401 || status == 403) {
    return aai::Error(AAI_EXIT_NOT_AUTHENTICATED, "not_authenticated",
                      "The account service rejected the sign-in (" + code +
                          (detail.empty() ? "" : ": " + detail) + ").",
                      "Run `aai login` again to start a new sign-in.");
  }
  std::string message = "The account service returned " + code + " to " + request_line;
  if (!detail.empty()) {
    message += ": " + detail;
  }
  if (message.back() != '.') {
    message += '.';
  }
  return aai::Error(AAI_EXIT_FAILURE, "api_error", message, kRetrySuggestion);
}

std::optional<std::string> string_member(const nlohmann::json& object, const char* name) {
  if (!object.is_object()) {
    return std::nullopt;
  }
  auto found = object.find(name);
  if (found == object.end() || !found->is_string() || found->get<std::string>().empty()) {
    return std::nullopt;
  }
  return found->get<std::string>();
}

std::optional<std::string> id_member(const nlohmann::json& object, const char* name) {
  if (!object.is_object()) {
    return std::nullopt;
  }
  auto found = object.find(name);
  if (found == object.end()) {
    return std::nullopt;
  }
  if (found->is_number_unsigned()) {
    return std::to_string(found->get<uint64_t>());
  }
  if (found->is_number_integer() && found->get<int64_t>() >= 0) {
    return std::to_string(found->get<int64_t>());
  }
  if (!found->is_string()) {
    return std::nullopt;
  }
  const std::string text = found->get<std::string>();
  const bool all_digits =
      std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
  if (text.empty() || !all_digits) {
    return std::nullopt;
  }
  return text;
}

}  // namespace auth_stytch
