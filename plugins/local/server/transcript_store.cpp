#include "server/transcript_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "server/server_log.hpp"

namespace aai::local {

void write_file_atomically(const std::filesystem::path& path, const std::string& content) {
  std::filesystem::path temporary = path;
  temporary += ".tmp";
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    throw std::runtime_error("Could not create " + temporary.string() + ": " +
                             std::strerror(errno));
  }
  size_t written = 0;
  while (written < content.size()) {
    ssize_t count = ::write(fd, content.data() + written, content.size() - written);
    if (count < 0 && errno == EINTR) {
      continue;
    }
    if (count < 0) {
      int error = errno;
      ::close(fd);
      ::unlink(temporary.c_str());
      throw std::runtime_error("Could not write " + temporary.string() + ": " +
                               std::strerror(error));
    }
    written += static_cast<size_t>(count);
  }
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced || std::rename(temporary.c_str(), path.c_str()) != 0) {
    int error = errno;
    ::unlink(temporary.c_str());
    throw std::runtime_error("Could not replace " + path.string() + ": " + std::strerror(error));
  }
}

TranscriptStore::TranscriptStore(std::filesystem::path data_dir)
    : data_dir_(std::move(data_dir)),
      transcripts_dir_(data_dir_ / "transcripts"),
      uploads_dir_(data_dir_ / "uploads") {
  std::filesystem::create_directories(transcripts_dir_);
  std::filesystem::create_directories(uploads_dir_);
}

std::vector<std::string> TranscriptStore::load() {
  std::vector<TranscriptRecord> pending;
  std::lock_guard lock(mutex_);
  for (const auto& entry : std::filesystem::directory_iterator(transcripts_dir_)) {
    if (entry.path().extension() != ".json") {
      continue;
    }
    try {
      std::ifstream file(entry.path());
      TranscriptRecord record = record_from_json(nlohmann::json::parse(file));
      next_sequence_ = std::max(next_sequence_, record.sequence + 1);
      std::string status = record.status();
      if (status == "queued" || status == "processing") {
        record.transcript["status"] = "queued";
        pending.push_back(record);
      }
      records_[record.id()] = std::move(record);
    } catch (const std::exception& error) {
      log_line("skipped unreadable transcript file " + entry.path().string() + ": " + error.what());
    }
  }
  std::sort(pending.begin(), pending.end(),
            [](const auto& a, const auto& b) { return a.sequence < b.sequence; });
  std::vector<std::string> ids;
  for (const auto& record : pending) {
    write_file(record);
    ids.push_back(record.id());
  }
  return ids;
}

TranscriptRecord TranscriptStore::create(nlohmann::json transcript, std::string audio_file,
                                         std::string intake_error) {
  TranscriptRecord record;
  record.transcript = std::move(transcript);
  record.created = utc_timestamp_now();
  record.audio_file = std::move(audio_file);
  record.intake_error = std::move(intake_error);
  std::lock_guard lock(mutex_);
  record.sequence = next_sequence_++;
  write_file(record);
  records_[record.id()] = record;
  return record;
}

void TranscriptStore::save(const TranscriptRecord& record) {
  std::lock_guard lock(mutex_);
  write_file(record);
  records_[record.id()] = record;
}

std::optional<TranscriptRecord> TranscriptStore::find(const std::string& id) const {
  std::lock_guard lock(mutex_);
  auto found = records_.find(id);
  if (found == records_.end()) {
    return std::nullopt;
  }
  return found->second;
}

std::vector<TranscriptRecord> TranscriptStore::newest_first() const {
  std::vector<TranscriptRecord> records;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, record] : records_) {
      records.push_back(record);
    }
  }
  std::sort(records.begin(), records.end(),
            [](const auto& a, const auto& b) { return a.sequence > b.sequence; });
  return records;
}

void TranscriptStore::write_file(const TranscriptRecord& record) const {
  write_file_atomically(transcripts_dir_ / (record.id() + ".json"), record_to_json(record).dump());
}

}  // namespace aai::local
