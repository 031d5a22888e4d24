#include "output.hpp"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <string>

#include <unistd.h>

namespace aai::host {

Output::Output(int stdout_fd, std::ostream& messages, bool json, bool quiet)
    : stdout_fd_(stdout_fd), messages_(messages), json_(json), quiet_(quiet) {}

bool Output::write(std::string_view data) {
  while (!data.empty() && !stdout_closed_) {
    ssize_t written = ::write(stdout_fd_, data.data(), data.size());
    if (written < 0 && errno == EINTR) {
      continue;
    }
    if (written < 0) {
      // EPIPE means the reader went away (`aai ... | head`); any other error also ends output,
      // since there is nowhere left to report results.
      stdout_closed_ = true;
      break;
    }
    data.remove_prefix(static_cast<size_t>(written));
  }
  return !stdout_closed_;
}

void Output::message(aai_message_kind_t kind, std::string_view text) {
  if (quiet_) {
    return;
  }
  bool is_warning = kind == AAI_MESSAGE_WARNING;
  if (json_) {
    nlohmann::json line = {{is_warning ? "warning" : "note", std::string(text)}};
    messages_ << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  } else {
    messages_ << (is_warning ? "Warning: " : "") << text << '\n';
  }
  messages_.flush();
}

void Output::error(const CliError& error) {
  messages_ << (json_ ? format_error_json(error) : format_error_text(error));
  messages_.flush();
}

}  // namespace aai::host
