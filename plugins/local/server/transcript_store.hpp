// Transcripts kept in memory and persisted as one JSON file each under <data dir>/transcripts.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "server/transcript_record.hpp"

namespace aai::local {

/// Thread-safe store of transcript records. Every save writes a temporary file and renames it
/// over the old one, so a crash leaves either the old or the new record, never half of one.
class TranscriptStore {
 public:
  /// Creates <data_dir>/transcripts and <data_dir>/uploads when missing; throws
  /// std::filesystem::filesystem_error when that fails.
  explicit TranscriptStore(std::filesystem::path data_dir);

  /// Loads the stored transcripts. Transcripts a previous run left queued or processing are set
  /// back to queued; their ids are returned in creation order so the caller can queue them again.
  /// Unreadable files are logged and skipped.
  std::vector<std::string> load();

  /// Stores a new record, giving it the next creation sequence and the current time.
  TranscriptRecord create(nlohmann::json transcript, std::string audio_file,
                          std::string intake_error);

  /// Replaces the record with the same id, in memory and on disk; throws std::runtime_error when
  /// the file cannot be written.
  void save(const TranscriptRecord& record);

  std::optional<TranscriptRecord> find(const std::string& id) const;

  /// Returns every record, newest first.
  std::vector<TranscriptRecord> newest_first() const;

  const std::filesystem::path& data_dir() const { return data_dir_; }
  const std::filesystem::path& uploads_dir() const { return uploads_dir_; }

 private:
  void write_file(const TranscriptRecord& record) const;

  std::filesystem::path data_dir_;
  std::filesystem::path transcripts_dir_;
  std::filesystem::path uploads_dir_;
  mutable std::mutex mutex_;
  std::map<std::string, TranscriptRecord> records_;
  int64_t next_sequence_ = 1;
};

/// Writes `content` to `path` through a temporary file in the same folder, fsync and rename;
/// throws std::runtime_error naming the path on failure.
void write_file_atomically(const std::filesystem::path& path, const std::string& content);

}  // namespace aai::local
