#include "stdin_reader.hpp"

#include <aai/plugin.h>

#include <cerrno>
#include <cstring>
#include <string>

#include <poll.h>
#include <unistd.h>

namespace streaming {
namespace {

constexpr int kPollTimeoutMs = 100;
constexpr size_t kReadBytes = 8192;

}  // namespace

ReadStatus StdinReader::read_block(std::vector<int16_t>& out, AudioFailure& failure) {
  pollfd input{fd_, POLLIN, 0};
  const int ready = ::poll(&input, 1, kPollTimeoutMs);
  if (ready == 0 || (ready < 0 && errno == EINTR)) {
    return ReadStatus::kPending;
  }
  std::vector<unsigned char> bytes(carry_);
  carry_.clear();
  const size_t offset = bytes.size();
  bytes.resize(offset + kReadBytes);
  const ssize_t count = ready < 0 ? -1 : ::read(fd_, bytes.data() + offset, kReadBytes);
  if (count < 0 && errno == EINTR) {
    carry_.assign(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(offset));
    return ReadStatus::kPending;
  }
  if (count < 0) {
    failure = {AAI_EXIT_FAILURE, "audio_input_error",
               std::string("Reading standard input failed: ") + std::strerror(errno) + ".", ""};
    return ReadStatus::kEnd;
  }
  if (count == 0) {
    // A trailing odd byte is half a sample and cannot be sent.
    return ReadStatus::kEnd;
  }
  bytes.resize(offset + static_cast<size_t>(count));
  if (bytes.size() % 2 != 0) {
    carry_.push_back(bytes.back());
    bytes.pop_back();
  }
  out.resize(bytes.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<int16_t>(bytes[2 * i] | (bytes[2 * i + 1] << 8));
  }
  return out.empty() ? ReadStatus::kPending : ReadStatus::kSamples;
}

}  // namespace streaming
