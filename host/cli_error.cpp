#include "cli_error.hpp"

#include <nlohmann/json.hpp>

#include <utility>

namespace aai::host {

CliError::CliError(int exit_code, std::string type, const std::string& message,
                   std::string suggestion, std::string details_json)
    : std::runtime_error(message),
      exit_code_(exit_code),
      type_(std::move(type)),
      suggestion_(std::move(suggestion)),
      details_json_(std::move(details_json)) {}

CliError usage_error(const std::string& message, std::string suggestion) {
  return CliError(2, "usage_error", message, std::move(suggestion));
}

std::string format_error_text(const CliError& error) {
  std::string text = "Error: " + std::string(error.what()) + "\n";
  if (!error.suggestion().empty()) {
    text += "Suggestion: " + error.suggestion() + "\n";
  }
  return text;
}

std::string format_error_json(const CliError& error) {
  nlohmann::ordered_json body;
  body["type"] = error.type();
  body["message"] = error.what();
  if (!error.suggestion().empty()) {
    body["suggestion"] = error.suggestion();
  }
  if (!error.details_json().empty()) {
    auto details = nlohmann::ordered_json::parse(error.details_json(), nullptr, false);
    if (details.is_object()) {
      for (const auto& [name, value] : details.items()) {
        if (!body.contains(name)) {
          body[name] = value;
        }
      }
    }
  }
  nlohmann::ordered_json root;
  root["error"] = std::move(body);
  return root.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace aai::host
