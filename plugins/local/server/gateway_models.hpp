// The models the emulator's LLM Gateway accepts: the ids AssemblyAI's gateway lists.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace aai::local {

struct GatewayModel {
  std::string id;
  /// The provider: "anthropic", "openai", "google", "moonshot" or "alibaba".
  std::string owned_by;
};

/// Returns the known models in the order GET /v1/models lists them.
const std::vector<GatewayModel>& gateway_models();

bool is_gateway_model(std::string_view id);

/// Returns whether the gateway streams answers of `id`: only OpenAI's models (ids "gpt-...").
bool streams_answers(std::string_view id);

}  // namespace aai::local
