#include "server/gateway_models.hpp"

#include <aai_llm/model_ids.hpp>

#include <algorithm>

namespace aai::local {

namespace {

std::string provider_of(std::string_view id) {
  if (id.rfind("claude-", 0) == 0) {
    return "anthropic";
  }
  if (id.rfind("gpt-", 0) == 0) {
    return "openai";
  }
  if (id.rfind("gemini-", 0) == 0) {
    return "google";
  }
  if (id.rfind("kimi-", 0) == 0) {
    return "moonshot";
  }
  return "alibaba";
}

std::vector<GatewayModel> build_models() {
  std::vector<GatewayModel> models;
  for (std::string_view id : aai::llm::kKnownModelIds) {
    models.push_back({std::string(id), provider_of(id)});
  }
  return models;
}

}  // namespace

const std::vector<GatewayModel>& gateway_models() {
  static const std::vector<GatewayModel> models = build_models();
  return models;
}

bool is_gateway_model(std::string_view id) {
  const auto& models = gateway_models();
  return std::any_of(models.begin(), models.end(),
                     [id](const GatewayModel& model) { return model.id == id; });
}

bool streams_answers(std::string_view id) {
  return aai::llm::model_streams_answers(id);
}

}  // namespace aai::local
