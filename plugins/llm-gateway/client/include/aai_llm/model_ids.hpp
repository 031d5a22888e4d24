// The model ids AssemblyAI's LLM Gateway is known to serve. Header-only, so the local emulator's
// stand-in gateway lists the same ids as `aai llm --list-models` without linking the client.
#pragma once

#include <array>
#include <string_view>

namespace aai::llm {

/// In the order `aai llm --list-models` prints them and the emulator's GET /v1/models lists them.
inline constexpr std::array<std::string_view, 24> kKnownModelIds = {
    "claude-opus-4-7",
    "claude-opus-4-6",
    "claude-opus-4-5-20251101",
    "claude-sonnet-4-6",
    "claude-sonnet-4-5-20250929",
    "claude-haiku-4-5-20251001",
    "gpt-5.5",
    "gpt-5.2",
    "gpt-5.1",
    "gpt-5",
    "gpt-5-mini",
    "gpt-5-nano",
    "gpt-4.1",
    "gpt-oss-120b",
    "gpt-oss-20b",
    "gemini-3.5-flash",
    "gemini-3-flash-preview",
    "gemini-3.1-flash-lite-preview",
    "gemini-2.5-pro",
    "gemini-2.5-flash",
    "gemini-2.5-flash-lite",
    "kimi-k2.5",
    "qwen3-next-80b-a3b",
    "qwen3-32B",
};

/// Whether the gateway streams answers of `model`: its OpenAI models, whose ids start "gpt-".
inline bool model_streams_answers(std::string_view model) {
  return model.rfind("gpt-", 0) == 0;
}

}  // namespace aai::llm
