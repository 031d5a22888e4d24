// Calls to AssemblyAI's v2 transcript API through the host's HTTP service.
#pragma once

#include <aai/plugin.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace transcribe {

/// The v2 endpoints under the active environment's api_base. Every method throws aai::Error
/// api_error (exit 1) for an HTTP error status, quoting the service's message and the status.
class TranscriptApi {
 public:
  TranscriptApi(const aai::Host& host, std::string api_base);

  /// Streams the file to POST /v2/upload and returns its upload_url. Progress goes to the host's
  /// progress line. The host retries 429, 5xx and a dropped connection up to kBatchRetries times.
  std::string upload(const std::string& path, uint64_t size);

  /// Streams the file to POST /v2/upload without touching the progress line, so any thread may
  /// call it. The host retries 429, 5xx and a dropped connection up to kBatchRetries times.
  std::string upload_from_any_thread(const std::string& path);

  /// POST /v2/transcript; returns the new transcript object. The host retries 429 and 5xx up to
  /// `max_retries` times, but never after a dropped connection, since the service may have
  /// created the transcript by then.
  nlohmann::json create(const nlohmann::json& params, uint32_t max_retries = 0);

  /// GET /v2/transcript/{id}. With `retry`, the host retries 429, 5xx and a dropped connection
  /// up to kBatchRetries times.
  nlohmann::json get(const std::string& id, bool retry = false);

  /// How often the host may resend one request of a transcription.
  static constexpr uint32_t kBatchRetries = 5;

  /// GET /v2/transcript/{id}/srt or /vtt; returns the captions as text.
  std::string captions(const std::string& id, const std::string& format,
                       std::optional<long long> chars_per_caption);

  /// GET /v2/transcript?limit=N; returns the `transcripts` array.
  nlohmann::json list(long long limit);

  /// GET /v2/transcript?limit=N[&before_id=ID]: one page of the list, newest first, with
  /// retries as for get(retry = true). Any thread may call it.
  nlohmann::json list_page(long long limit, const std::string& before_id);

  /// DELETE /v2/transcript/{id}; returns the service's object.
  nlohmann::json remove(const std::string& id);

 private:
  aai::HttpResponse send(aai::HttpRequest request, const std::string& what);
  nlohmann::json send_json(aai::HttpRequest request, const std::string& what);

  aai::Host host_;
  std::string api_base_;
};

/// Returns the HTTP status an api_error from this class carries in its details, or 0.
int http_status_of(const aai::Error& error);

/// Returns the aai::Error for an HTTP error response: api_error with the service's `error`
/// message (or the body) and the status in details.
aai::Error api_error_from(int status, const std::string& body, const std::string& what);

}  // namespace transcribe
