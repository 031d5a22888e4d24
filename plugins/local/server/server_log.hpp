// One-line log messages on stderr, safe to call from the server and worker threads.
#pragma once

#include <string>

namespace aai::local {

/// Writes `line` and a newline to stderr as one write, so lines from two threads never mix.
void log_line(const std::string& line);

}  // namespace aai::local
