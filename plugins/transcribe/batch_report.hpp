// Batch output: a line per finished source, the progress line and the summary.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace transcribe {

enum class SourceStatus { kCompleted, kSkipped, kFailed };

/// Returns "completed", "skipped" or "failed".
const char* status_name(SourceStatus status);

/// The outcome of one source of a batch.
struct SourceResult {
  std::string source;
  SourceStatus status = SourceStatus::kCompleted;
  /// Empty when no transcript was created.
  std::string transcript_id;
  /// Empty when no sidecar was written or read.
  std::string sidecar;
  /// The aai::Error type and message of a failed source.
  std::string error_type;
  std::string error_message;
};

/// Counts of a batch so far.
struct BatchCounts {
  size_t total = 0;
  size_t completed = 0;
  size_t skipped = 0;
  size_t failed = 0;
  /// Sources started but not finished: uploading, waiting or running --llm.
  size_t running = 0;
  double elapsed_seconds = 0;

  size_t finished() const { return completed + skipped + failed; }
  size_t remaining() const { return total - finished() - running; }
};

/// The NDJSON line of a finished source: type, source, status, transcript_id, sidecar and, for
/// a failed source, error with type and message. Missing ids and sidecars are null.
nlohmann::ordered_json result_json(const SourceResult& result);

/// The tab-separated line of a finished source: source, status and id ("-" when none).
std::string result_text(const SourceResult& result);

/// The final NDJSON line: counts, elapsed seconds and whether the batch was interrupted.
nlohmann::ordered_json summary_json(const BatchCounts& counts, bool interrupted);

/// The summary sentence for stderr, such as
/// "Batch done in 1m 05s: 3 completed, 1 skipped, 0 failed of 4 sources."
std::string summary_text(const BatchCounts& counts, bool interrupted);

/// The progress line label: done, running, failed, skipped, remaining and files per minute.
std::string progress_label(const BatchCounts& counts);

/// Returns "5s", "1m 05s" or "2h 03m".
std::string format_duration(double seconds);

}  // namespace transcribe
