#include "batch_report.hpp"

#include <cmath>
#include <cstdio>

namespace transcribe {
namespace {

nlohmann::ordered_json string_or_null(const std::string& text) {
  if (text.empty()) {
    return nullptr;
  }
  return text;
}

std::string two_digits(long long value) {
  return (value < 10 ? "0" : "") + std::to_string(value);
}

}  // namespace

const char* status_name(SourceStatus status) {
  switch (status) {
    case SourceStatus::kCompleted:
      return "completed";
    case SourceStatus::kSkipped:
      return "skipped";
    case SourceStatus::kFailed:
      return "failed";
  }
  return "failed";
}

nlohmann::ordered_json result_json(const SourceResult& result) {
  nlohmann::ordered_json line;
  line["type"] = "result";
  line["source"] = result.source;
  line["status"] = status_name(result.status);
  line["transcript_id"] = string_or_null(result.transcript_id);
  line["sidecar"] = string_or_null(result.sidecar);
  if (result.status == SourceStatus::kFailed) {
    line["error"] = {{"type", result.error_type}, {"message", result.error_message}};
  }
  return line;
}

std::string result_text(const SourceResult& result) {
  return result.source + "\t" + status_name(result.status) + "\t" +
         (result.transcript_id.empty() ? "-" : result.transcript_id) + "\n";
}

nlohmann::ordered_json summary_json(const BatchCounts& counts, bool interrupted) {
  nlohmann::ordered_json line;
  line["type"] = "summary";
  line["total"] = counts.total;
  line["completed"] = counts.completed;
  line["skipped"] = counts.skipped;
  line["failed"] = counts.failed;
  line["remaining"] = counts.total - counts.finished();
  line["interrupted"] = interrupted;
  line["elapsed_seconds"] = std::round(counts.elapsed_seconds * 10) / 10;
  return line;
}

std::string summary_text(const BatchCounts& counts, bool interrupted) {
  std::string text = interrupted ? "Batch interrupted after " : "Batch done in ";
  text += format_duration(counts.elapsed_seconds) + ": " + std::to_string(counts.completed) +
          " completed, " + std::to_string(counts.skipped) + " skipped, " +
          std::to_string(counts.failed) + " failed";
  if (interrupted) {
    text += ", " + std::to_string(counts.total - counts.finished()) + " not finished";
  }
  return text + " of " + std::to_string(counts.total) + " sources.";
}

std::string progress_label(const BatchCounts& counts) {
  std::string label = "Batch: " + std::to_string(counts.completed) + " done, " +
                      std::to_string(counts.running) + " running, " +
                      std::to_string(counts.failed) + " failed, " + std::to_string(counts.skipped) +
                      " skipped, " + std::to_string(counts.remaining()) + " remaining";
  // Skipped sources cost no transcription, so they would inflate the rate.
  const size_t transcribed = counts.completed + counts.failed;
  if (transcribed > 0 && counts.elapsed_seconds >= 1) {
    char rate[32];
    std::snprintf(rate, sizeof rate, "%.1f", transcribed * 60.0 / counts.elapsed_seconds);
    label += std::string(", ") + rate + " files/min";
  }
  return label;
}

std::string format_duration(double seconds) {
  const long long total = std::llround(seconds);
  if (total < 60) {
    return std::to_string(total) + "s";
  }
  if (total < 3600) {
    return std::to_string(total / 60) + "m " + two_digits(total % 60) + "s";
  }
  return std::to_string(total / 3600) + "h " + two_digits(total / 60 % 60) + "m";
}

}  // namespace transcribe
