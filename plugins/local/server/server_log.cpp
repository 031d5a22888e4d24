#include "server/server_log.hpp"

#include <cstdio>
#include <mutex>

namespace aai::local {

void log_line(const std::string& line) {
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  std::fprintf(stderr, "%s\n", line.c_str());
  std::fflush(stderr);
}

}  // namespace aai::local
