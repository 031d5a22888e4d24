#include "stdin_lines.hpp"

#include <cerrno>
#include <cstring>

#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

namespace llm {
namespace {

constexpr size_t kReadBytes = 64 * 1024;

aai::Error read_error() {
  return aai::Error(AAI_EXIT_FAILURE, "internal_error",
                    std::string("Could not read standard input: ") + std::strerror(errno) + ".");
}

// Waits for the descriptor to become readable (data or end of input). EINTR counts as "not yet",
// so a Ctrl-C is seen by the caller's next interrupt check.
bool poll_readable(int fd, int timeout_ms) {
  pollfd entry{fd, POLLIN, 0};
  const int ready = ::poll(&entry, 1, timeout_ms);
  if (ready < 0 && errno != EINTR) {
    throw read_error();
  }
  return ready > 0;
}

}  // namespace

int& input_fd() {
  static int fd = STDIN_FILENO;
  return fd;
}

bool InputReader::wait(int timeout_ms) {
  if (at_end_) {
    return true;
  }
  if (!poll_readable(fd_, timeout_ms)) {
    return false;
  }
  char chunk[kReadBytes];
  const ssize_t count = ::read(fd_, chunk, sizeof chunk);
  if (count < 0) {
    if (errno == EINTR || errno == EAGAIN) {
      return false;
    }
    throw read_error();
  }
  if (count == 0) {
    at_end_ = true;
  } else {
    buffer_.append(chunk, static_cast<size_t>(count));
  }
  return true;
}

std::string InputReader::read_all() {
  while (!at_end_) {
    host_.check_interrupted();
    wait(kInterruptCheckMs);
  }
  host_.check_interrupted();
  std::string text = std::move(buffer_);
  buffer_.clear();
  return text;
}

std::vector<std::string> InputReader::take_lines() {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t end = buffer_.find('\n'); end != std::string::npos; end = buffer_.find('\n', start)) {
    std::string line = buffer_.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    lines.push_back(std::move(line));
    start = end + 1;
  }
  buffer_.erase(0, start);
  if (at_end_ && !buffer_.empty()) {
    lines.push_back(std::move(buffer_));
    buffer_.clear();
  }
  return lines;
}

bool stdin_has_data(const aai::Host& host, int fd, int wait_ms) {
  if (host.is_terminal(STDIN_FILENO)) {
    return false;
  }
  struct stat info {};
  if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode)) {
    return info.st_size > 0;
  }
  // poll(2) reports data and end of input alike, so one byte is read to tell them apart. The
  // caller ignores standard input when it asks, so losing that byte does no harm.
  if (!poll_readable(fd, wait_ms)) {
    return false;
  }
  char byte = 0;
  return ::read(fd, &byte, 1) == 1;
}

}  // namespace llm
