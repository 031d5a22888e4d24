#include "sidecar.hpp"

#include <aai/plugin.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <fcntl.h>
#include <nettle/sha2.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

namespace transcribe {
namespace {

namespace fs = std::filesystem;

std::string folder_of(const std::string& path) {
  const fs::path folder = fs::path(path).parent_path();
  return folder.empty() ? std::string(".") : folder.string();
}

std::string hex_digest(sha256_ctx& context) {
  uint8_t digest[SHA256_DIGEST_SIZE];
  sha256_digest(&context, sizeof digest, digest);
  static const char* kHex = "0123456789abcdef";
  std::string text;
  for (uint8_t byte : digest) {
    text += kHex[byte >> 4];
    text += kHex[byte & 0xf];
  }
  return text;
}

[[noreturn]] void throw_write_failure(const std::string& path, int error_number) {
  throw aai::Error(AAI_EXIT_FAILURE, "sidecar_not_writable",
                   "Could not write the sidecar " + path + ": " + std::strerror(error_number) + ".",
                   "Check the free space and permissions of " + folder_of(path) + ".");
}

bool is_nonempty_string(const nlohmann::json& document, const char* key) {
  auto found = document.find(key);
  return found != document.end() && found->is_string() && !found->get<std::string>().empty();
}

SidecarRead corrupt(std::string problem) {
  SidecarRead read;
  read.state = SidecarRead::State::kCorrupt;
  read.problem = std::move(problem);
  return read;
}

}  // namespace

std::string sidecar_path_for(const std::string& source) {
  return source + kSidecarSuffix;
}

SidecarRead read_sidecar(const std::string& path) {
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (!fs::exists(status)) {
    return {};
  }
  if (!fs::is_regular_file(status)) {
    return corrupt("it is not a file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return corrupt("it cannot be read");
  }
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  nlohmann::json document = nlohmann::json::parse(text, nullptr, false);
  if (document.is_discarded() || !document.is_object()) {
    return corrupt("it is not a JSON object");
  }
  if (document.value("version", nlohmann::json()) != kSidecarVersion) {
    return corrupt("its version is not " + std::to_string(kSidecarVersion));
  }
  for (const char* key : {"state", "audio_sha256", "options_sha256"}) {
    if (!is_nonempty_string(document, key)) {
      return corrupt(std::string("it has no ") + key);
    }
  }
  SidecarRead read;
  const std::string state = document["state"].get<std::string>();
  if (state == "creating") {
    if (!is_nonempty_string(document, "upload_url")) {
      return corrupt("it has no upload_url");
    }
    read.state = SidecarRead::State::kCreating;
    read.document = std::move(document);
    return read;
  }
  if (!is_nonempty_string(document, "transcript_id")) {
    return corrupt("it has no transcript_id");
  }
  if (state == "submitted") {
    read.state = SidecarRead::State::kSubmitted;
  } else if (state == "completed") {
    if (!document.contains("transcript") || !document["transcript"].is_object()) {
      return corrupt("it is completed but has no transcript");
    }
    read.state = SidecarRead::State::kCompleted;
  } else if (state == "error") {
    read.state = SidecarRead::State::kError;
  } else {
    return corrupt("its state '" + state + "' is unknown");
  }
  read.document = std::move(document);
  return read;
}

bool sidecar_matches(const nlohmann::json& document, const std::string& audio_sha256,
                     const std::string& options_sha256) {
  return document.value("audio_sha256", "") == audio_sha256 &&
         document.value("options_sha256", "") == options_sha256;
}

void check_sidecar_folder(const std::string& source) {
  const std::string folder = folder_of(source);
  if (::access(folder.c_str(), W_OK | X_OK) != 0) {
    throw aai::Error(
        AAI_EXIT_FAILURE, "sidecar_not_writable",
        "Cannot write the sidecar of " + source + ": the folder " + folder + " is not writable.",
        "Make the folder writable, or copy the recordings into a writable folder.");
  }
}

void write_sidecar(const std::string& path, const nlohmann::ordered_json& document) {
  const fs::path target(path);
  // A hidden name, so a folder search skips a temporary file that a crash leaves behind.
  std::string pattern =
      (fs::path(folder_of(path)) / ("." + target.filename().string() + ".XXXXXX")).string();
  std::vector<char> temp(pattern.begin(), pattern.end());
  temp.push_back('\0');
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) {
    throw_write_failure(path, errno);
  }
  const std::string content = document.dump(2) + "\n";
  bool ok = ::fchmod(fd, 0600) == 0;
  for (size_t written = 0; ok && written < content.size();) {
    const ssize_t step = ::write(fd, content.data() + written, content.size() - written);
    ok = step > 0 || (step < 0 && errno == EINTR);
    written += step > 0 ? static_cast<size_t>(step) : 0;
  }
  ok = ok && ::fsync(fd) == 0;
  int reason = errno;
  ::close(fd);
  if (ok && std::rename(temp.data(), path.c_str()) != 0) {
    ok = false;
    reason = errno;
  }
  if (!ok) {
    ::unlink(temp.data());
    throw_write_failure(path, reason);
  }
  // Make the rename itself durable, so a crash right after it cannot lose the sidecar.
  const int folder_fd = ::open(folder_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (folder_fd >= 0) {
    ::fsync(folder_fd);
    ::close(folder_fd);
  }
}

std::string sha256_of_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw aai::Error(AAI_EXIT_FAILURE, "unreadable_audio",
                     "Cannot read " + path + ": " + std::strerror(errno) + ".",
                     "Check that the file exists and that you may read it.");
  }
  sha256_ctx context;
  sha256_init(&context);
  std::vector<uint8_t> chunk(64 * 1024);
  for (;;) {
    const ssize_t count = ::read(fd, chunk.data(), chunk.size());
    if (count == 0) {
      break;
    }
    if (count < 0) {
      if (errno == EINTR) {
        continue;
      }
      const int reason = errno;
      ::close(fd);
      throw aai::Error(AAI_EXIT_FAILURE, "unreadable_audio",
                       "Cannot read " + path + ": " + std::strerror(reason) + ".",
                       "Check that the file exists and that you may read it.");
    }
    sha256_update(&context, static_cast<size_t>(count), chunk.data());
  }
  ::close(fd);
  return hex_digest(context);
}

std::string sha256_of(const std::string& data) {
  sha256_ctx context;
  sha256_init(&context);
  sha256_update(&context, data.size(), reinterpret_cast<const uint8_t*>(data.data()));
  return hex_digest(context);
}

nlohmann::json request_options_record(nlohmann::json params,
                                      const std::vector<std::string>& llm_prompts,
                                      const std::string& llm_model, int llm_max_tokens) {
  params.erase("audio_url");
  nlohmann::json record = {{"params", std::move(params)}};
  if (!llm_prompts.empty()) {
    record["llm"] = {
        {"prompts", llm_prompts}, {"model", llm_model}, {"max_tokens", llm_max_tokens}};
  }
  return record;
}

std::string options_digest(const nlohmann::json& options_record) {
  // nlohmann::json keeps object members sorted by key, so dump() is canonical.
  return sha256_of(options_record.dump());
}

std::string utc_timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  ::gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

}  // namespace transcribe
