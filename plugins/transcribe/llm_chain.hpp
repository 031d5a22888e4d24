// `--llm` and `--llm-reduce` on `transcribe` and `transcripts get`: a chain of LLM Gateway
// prompts over a finished transcript, each step reading the previous step's answer.
#pragma once

#include <aai/plugin.hpp>
#include <aai_llm/gateway.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace transcribe {

/// Sends one chat completion; the real one is aai::llm::Gateway::complete.
using CompleteFunction = std::function<aai::llm::ChatResult(const aai::llm::ChatRequest&)>;

/// Called before each step with its 1-based number and the number of steps.
using StepFunction = std::function<void(size_t step, size_t step_count)>;

/// The chain the options request, validated.
struct LlmChain {
  /// The --llm prompts in the order given, then the --llm-reduce prompt when set.
  std::vector<std::string> prompts;
  std::string model = aai::llm::kDefaultModel;
  int max_tokens = aai::llm::kDefaultMaxTokens;
  /// Whether --json or -o json selects the JSON shape instead of text.
  bool json_output = false;
};

/// One step's prompt and the gateway's answer to it.
struct ChainStep {
  std::string prompt;
  std::string output;
};

/// The answers of a whole chain.
struct ChainResult {
  /// The model the gateway named in the last answer.
  std::string model;
  std::vector<ChainStep> steps;
};

/// The option specs for --llm, --llm-reduce, --model and --max-tokens.
std::vector<aai::Option> llm_options();

/// Reads and checks the chain options, including their conflicts with -o and --out. Call it before
/// read_output_choice, so a conflict is reported before the --out path is checked. Returns nullopt
/// when neither --llm nor --llm-reduce is given. Throws aai::Error usage_error for every invalid
/// combination or value.
std::optional<LlmChain> read_llm_chain(const aai::Host& host, const aai::Invocation& invocation);

/// Runs the chain over the transcript `transcript_id`. Step 1 lets the gateway inject the
/// transcript's text; every later step sends the previous answer as text. Nothing is streamed.
/// Errors from `complete` propagate unchanged.
ChainResult run_llm_chain(const LlmChain& chain, const std::string& transcript_id,
                          const CompleteFunction& complete, const StepFunction& on_step = {});

/// Runs the chain through the LLM Gateway with a progress line per step, then prints the answers
/// as text or, with --json or -o json, as the transcript's id, status and text plus the steps.
void answer_with_llm(const aai::Host& host, const LlmChain& chain,
                     const nlohmann::json& transcript);

}  // namespace transcribe
