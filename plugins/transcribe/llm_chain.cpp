#include "llm_chain.hpp"

#include <climits>
#include <utility>

#include "transcript_output.hpp"

namespace transcribe {
namespace {

// The option the user gave, so a message names what they typed.
std::string chain_option_name(const aai::Invocation& invocation) {
  return invocation.options("llm").empty() ? "--llm-reduce" : "--llm";
}

bool is_blank(const std::string& text) {
  return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

void check_prompt(const std::string& option, const std::string& prompt) {
  if (is_blank(prompt)) {
    throw aai::usage_error(
        "Invalid " + option + " '" + prompt + "': the prompt is empty.",
        "Pass a question or an instruction, such as " + option + " \"Summarize the call.\"");
  }
}

// --model and --max-tokens only configure the chain, so alone they are a mistake.
void check_no_chain_options(const aai::Invocation& invocation) {
  if (invocation.option("model")) {
    throw aai::usage_error("--model needs --llm or --llm-reduce.",
                           "Add --llm PROMPT, or use --speech-model to pick the speech model.");
  }
  if (invocation.option("max-tokens")) {
    throw aai::usage_error("--max-tokens needs --llm or --llm-reduce.",
                           "Add --llm PROMPT, or drop --max-tokens.");
  }
}

void check_output_conflicts(const aai::Invocation& invocation, const std::string& option) {
  if (auto output = invocation.option("output"); output && *output != "json") {
    throw aai::usage_error(
        option + " cannot be combined with -o " + *output + ".",
        "Drop -o " + *output + " to print the answers, or use --json to add the transcript.");
  }
  if (invocation.option("out")) {
    throw aai::usage_error(option + " cannot be combined with --out.",
                           "Redirect standard output to save the answers, such as > answers.txt.");
  }
}

int read_max_tokens(const std::string& text) {
  // The host has already checked that the value is a 64-bit integer.
  const long long value = std::stoll(text);
  if (value < 1) {
    throw aai::usage_error("Invalid --max-tokens '" + text + "': it must be at least 1.",
                           "Pass a whole number of tokens, such as --max-tokens 2000.");
  }
  if (value > INT_MAX) {
    throw aai::usage_error(
        "Invalid --max-tokens '" + text + "': it must be at most " + std::to_string(INT_MAX) + ".",
        "Pass a whole number of tokens, such as --max-tokens 2000.");
  }
  return static_cast<int>(value);
}

std::string step_label(size_t step, size_t step_count) {
  return "Asking the LLM Gateway (step " + std::to_string(step) + " of " +
         std::to_string(step_count) + ")";
}

}  // namespace

std::vector<aai::Option> llm_options() {
  return {
      aai::repeated(aai::text("llm", "PROMPT",
                              "Ask the LLM Gateway about the transcript; each further --llm asks "
                              "about the previous answer")),
      aai::text("llm-reduce", "PROMPT", "Last prompt of the chain, over the previous answer"),
      aai::text(
          "model", "MODEL",
          std::string("LLM Gateway model for --llm (default ") + aai::llm::kDefaultModel + ")"),
      aai::integer("max-tokens", "N",
                   "Maximum tokens of each --llm answer (default " +
                       std::to_string(aai::llm::kDefaultMaxTokens) + ")"),
  };
}

std::optional<LlmChain> read_llm_chain(const aai::Host& host, const aai::Invocation& invocation) {
  LlmChain chain;
  for (const auto& prompt : invocation.options("llm")) {
    check_prompt("--llm", prompt);
    chain.prompts.push_back(prompt);
  }
  if (auto reduce = invocation.option("llm-reduce")) {
    check_prompt("--llm-reduce", *reduce);
    chain.prompts.push_back(*reduce);
  }
  if (chain.prompts.empty()) {
    check_no_chain_options(invocation);
    return std::nullopt;
  }

  check_output_conflicts(invocation, chain_option_name(invocation));
  if (auto model = invocation.option("model")) {
    if (is_blank(*model)) {
      throw aai::usage_error("Invalid --model '" + *model + "': it must name a model.",
                             "`aai llm --list-models` lists the known models.");
    }
    chain.model = *model;
  }
  if (auto max_tokens = invocation.option("max-tokens")) {
    chain.max_tokens = read_max_tokens(*max_tokens);
  }
  chain.json_output = host.is_json() || invocation.option("output") == "json";
  return chain;
}

ChainResult run_llm_chain(const LlmChain& chain, const std::string& transcript_id,
                          const CompleteFunction& complete, const StepFunction& on_step) {
  ChainResult result;
  result.model = chain.model;
  for (size_t index = 0; index < chain.prompts.size(); ++index) {
    const std::string& prompt = chain.prompts[index];
    if (on_step) {
      on_step(index + 1, chain.prompts.size());
    }

    aai::llm::ChatRequest request;
    request.model = chain.model;
    request.max_tokens = chain.max_tokens;
    request.stream = false;
    if (index == 0) {
      request.user = aai::llm::transcript_prompt(prompt);
      request.transcript_id = transcript_id;
    } else {
      request.user = aai::llm::text_prompt(prompt, result.steps.back().output);
    }

    aai::llm::ChatResult answer = complete(request);
    result.model = std::move(answer.model);
    result.steps.push_back({prompt, std::move(answer.output)});
  }
  return result;
}

void answer_with_llm(const aai::Host& host, const LlmChain& chain,
                     const nlohmann::json& transcript) {
  const aai::llm::Gateway gateway(host);
  auto complete = [&gateway](const aai::llm::ChatRequest& request) {
    return gateway.complete(request);
  };
  auto show_step = [&host](size_t step, size_t step_count) {
    host.check_interrupted();
    host.progress(step_label(step, step_count), 0, 0);
  };

  ChainResult result;
  try {
    result = run_llm_chain(chain, transcript.value("id", ""), complete, show_step);
  } catch (...) {
    host.clear_progress();
    throw;
  }
  host.clear_progress();

  if (chain.json_output) {
    host.write(chain_json(transcript, result).dump() + "\n");
  } else {
    host.write(render_chain_text(result));
  }
}

}  // namespace transcribe
