// Reads standard input without blocking past Ctrl-C: whole, or line by line for --follow.
#pragma once

#include <aai/plugin.hpp>

#include <string>
#include <vector>

namespace llm {

/// The descriptor the command reads as standard input; tests point it at a pipe.
int& input_fd();

class InputReader {
 public:
  InputReader(const aai::Host& host, int fd) : host_(host), fd_(fd) {}

  /// Waits up to `timeout_ms` for input or its end and reads what is there. Returns false when
  /// nothing happened in that time. Throws aai::Error (exit 1) when the read fails.
  bool wait(int timeout_ms);

  /// Reads until the end of input, checking for Ctrl-C between reads; throws aai::Error with
  /// exit 130 when it arrives.
  std::string read_all();

  /// Removes and returns the complete lines read so far, without their "\n" (or "\r\n"); at the
  /// end of input, the unterminated rest counts as a line too.
  std::vector<std::string> take_lines();

  bool at_end() const { return at_end_; }

 private:
  const aai::Host& host_;
  int fd_;
  std::string buffer_;
  bool at_end_ = false;
};

/// How often blocking reads look for Ctrl-C, in milliseconds.
inline constexpr int kInterruptCheckMs = 100;

/// Checks, for a warning, whether standard input has text: it is not a terminal, and it is a
/// non-empty regular file or delivers a byte within `wait_ms`. Consumes that byte, so call it
/// only when standard input is then ignored.
bool stdin_has_data(const aai::Host& host, int fd, int wait_ms);

}  // namespace llm
