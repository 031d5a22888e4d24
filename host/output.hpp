// Results on stdout and messages on stderr, in text or JSON form.
#pragma once

#include "cli_error.hpp"

#include <aai/plugin.h>

#include <ostream>
#include <string_view>

namespace aai::host {

class Output {
 public:
  /// Writes results to file descriptor `stdout_fd` and messages to `messages`.
  Output(int stdout_fd, std::ostream& messages, bool json, bool quiet);

  /// Writes result data. Returns false once stdout is a closed pipe (EPIPE); later writes are
  /// then dropped, and the caller should stop quietly.
  bool write(std::string_view data);

  /// Prints a note or `Warning: ...` line, or {"note":...} / {"warning":...} in JSON mode.
  /// Hidden by --quiet.
  void message(aai_message_kind_t kind, std::string_view text);
  void warning(std::string_view text) { message(AAI_MESSAGE_WARNING, text); }

  /// Prints an error in text or JSON form; --quiet never hides errors.
  void error(const CliError& error);

  void set_json(bool json) { json_ = json; }

  bool is_json() const { return json_; }
  bool is_quiet() const { return quiet_; }
  bool is_stdout_closed() const { return stdout_closed_; }

 private:
  int stdout_fd_;
  std::ostream& messages_;
  bool json_;
  bool quiet_;
  bool stdout_closed_ = false;
};

}  // namespace aai::host
