// What `aai transcribe SOURCE` names: a URL, stdin or a local file, checked before any request.
#pragma once

#include <cstdint>
#include <string>

namespace transcribe {

/// Returns whether `source` starts with http:// or https:// (any case).
bool is_remote_url(const std::string& source);

/// Returns the size of the local file `path`. Throws aai::Error (exit 2) file_not_found,
/// not_a_file or empty_audio, each naming the path.
uint64_t check_local_file(const std::string& path);

/// A file in the temp folder, removed when this object is destroyed.
class TempFile {
 public:
  TempFile();
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  const std::string& path() const { return path_; }
  int fd() const { return fd_; }

 private:
  std::string path_;
  int fd_ = -1;
};

/// Copies everything readable from `input_fd` into `target` in 64 KiB chunks; returns the byte
/// count. Throws aai::Error empty_audio (exit 2) when there was nothing to read.
uint64_t copy_stdin_to(int input_fd, const TempFile& target);

}  // namespace transcribe
