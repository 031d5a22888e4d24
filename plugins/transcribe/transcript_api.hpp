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
  /// progress line.
  std::string upload(const std::string& path, uint64_t size);

  /// POST /v2/transcript; returns the new transcript object.
  nlohmann::json create(const nlohmann::json& params);

  /// GET /v2/transcript/{id}.
  nlohmann::json get(const std::string& id);

  /// GET /v2/transcript/{id}/srt or /vtt; returns the captions as text.
  std::string captions(const std::string& id, const std::string& format,
                       std::optional<long long> chars_per_caption);

  /// GET /v2/transcript?limit=N; returns the `transcripts` array.
  nlohmann::json list(long long limit);

  /// DELETE /v2/transcript/{id}; returns the service's object.
  nlohmann::json remove(const std::string& id);

 private:
  aai::HttpResponse send(aai::HttpRequest request, const std::string& what);
  nlohmann::json send_json(aai::HttpRequest request, const std::string& what);

  aai::Host host_;
  std::string api_base_;
};

/// Returns the aai::Error for an HTTP error response: api_error with the service's `error`
/// message (or the body) and the status in details.
aai::Error api_error_from(int status, const std::string& body, const std::string& what);

}  // namespace transcribe
