// The emulator's LLM Gateway under /v1: the model list and chat completions, answered by the
// extractive responder because the emulator has no language model.
#pragma once

#include <cstdint>
#include <string>

#include "server/api_keys.hpp"
#include "server/api_response.hpp"
#include "server/chat_request.hpp"
#include "server/fault_injection.hpp"
#include "server/transcript_store.hpp"

namespace aai::local {

/// Input tokens every model accepts in the emulator.
inline constexpr uint64_t kGatewayContextTokens = 200000;

/// Largest body of POST /v1/chat/completions, in bytes.
inline constexpr uint64_t kMaxChatBodyBytes = 4ULL << 20;

class GatewayRoutes {
 public:
  GatewayRoutes(const TranscriptStore& store, const ApiKeys& keys, FaultInjector& faults);

  /// Returns the response to a request whose path is_gateway_path() accepts. The key goes as
  /// "Bearer KEY" or "KEY". Injected faults apply after the key and plan checks.
  ApiResponse handle(const ApiRequest& request);

 private:
  std::optional<ApiResponse> access_problem(const std::string& authorization) const;
  ApiResponse complete(const std::string& body) const;
  std::optional<ApiResponse> inject_transcript(ChatRequest& request) const;

  const TranscriptStore& store_;
  const ApiKeys& keys_;
  FaultInjector& faults_;
};

/// Returns the key in an Authorization value: the part after "Bearer " (any case), or all of it.
std::string key_from_authorization(const std::string& authorization);

}  // namespace aai::local
