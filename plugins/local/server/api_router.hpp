// Routing of the emulator's REST endpoints to their handlers, with the service's auth rule.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "server/api_keys.hpp"
#include "server/api_response.hpp"
#include "server/fault_injection.hpp"
#include "server/gateway_routes.hpp"
#include "server/login_routes.hpp"
#include "server/streaming_tokens.hpp"
#include "server/transcript_store.hpp"
#include "server/transcription_worker.hpp"

namespace aai::local {

/// Body of every 401 response, as the service words it.
inline constexpr const char* kAuthenticationError =
    "Authentication error, API token missing/invalid";

/// The emulator-only counters for tests, served without a key and never failed by --faults.
inline constexpr const char* kStatsPath = "/local/stats";

class ApiRouter {
 public:
  /// `keys` decides which Authorization values the API accepts. The sign-in routes under /stytch
  /// and /ams take no API key, so `login_routes` handles them before the key check. `faults`
  /// answers the requests that --faults fails, after the key check.
  ApiRouter(TranscriptStore& store, TranscriptionWorker& worker, const ApiKeys& keys,
            LoginRoutes& login_routes, FaultInjector& faults);

  /// Sets "http://127.0.0.1:PORT", the origin of the URLs the API returns.
  void set_base_url(std::string base_url) { base_url_ = std::move(base_url); }
  const std::string& base_url() const { return base_url_; }

  bool is_authorized(const std::string& authorization) const;

  /// Returns the injected failure for a request, if a --faults status rule fires.
  std::optional<ApiResponse> take_fault(const std::string& method, const std::string& path) {
    return faults_.take(method, path);
  }

  /// Decides the --faults reset and delay of a request whose head has been read.
  ConnectionFault connection_fault(const std::string& method, const std::string& path) {
    return path == kStatsPath ? ConnectionFault{} : faults_.connection_fault(method, path);
  }

  /// The temporary tokens of the streaming API, issued by GET /v3/token.
  StreamingTokens& streaming_tokens() { return streaming_tokens_; }

  /// Returns whether the request is an upload, whose body the server streams to a file.
  static bool is_upload(const std::string& method, const std::string& target);

  /// Returns a fresh upload id and the path its body is written to.
  std::pair<std::string, std::filesystem::path> new_upload() const;

  /// Answers an upload whose body the server has written to `file`.
  ApiResponse finish_upload(const std::string& upload_id, const std::filesystem::path& file,
                            uint64_t size) const;

  /// Answers every request except the body of an upload. Never throws.
  ApiResponse handle(const ApiRequest& request);

 private:
  ApiResponse route(const ApiRequest& request);
  ApiResponse create_transcript(const std::string& body);
  ApiResponse delete_transcript(const std::string& id);
  ApiResponse stats() const;
  std::string intake_error(const nlohmann::json& params, std::string& audio_file) const;

  TranscriptStore& store_;
  TranscriptionWorker& worker_;
  const ApiKeys& keys_;
  LoginRoutes& login_routes_;
  FaultInjector& faults_;
  GatewayRoutes gateway_routes_;
  StreamingTokens streaming_tokens_;
  std::string base_url_;
  // Counted since this start of the emulator, for GET /local/stats.
  std::atomic<uint64_t> transcripts_created_{0};
  mutable std::atomic<uint64_t> uploads_{0};
};

}  // namespace aai::local
