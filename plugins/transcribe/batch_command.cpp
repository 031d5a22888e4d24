#include "batch_command.hpp"

#include <aai_llm/gateway.hpp>

#include <iostream>
#include <optional>

#include "batch_runner.hpp"
#include "batch_sources.hpp"
#include "poll_policy.hpp"
#include "sidecar.hpp"
#include "transcript_request.hpp"

namespace transcribe {
namespace {

// The sidecars hold the transcripts, so the options that shape one printed transcript do not
// apply to a batch.
void reject_output_options(const aai::Invocation& invocation) {
  if (auto output = invocation.option("output")) {
    throw aai::usage_error(
        "-o " + *output + " does not apply to a batch: each transcript is saved in its " +
            kSidecarSuffix + " sidecar.",
        "Drop -o; use --json for one JSON line per source, and read a transcript with "
        "`jq .transcript.text FILE.aai.json`.");
  }
  if (auto out = invocation.option("out")) {
    throw aai::usage_error("--out does not apply to a batch: each transcript is saved in its " +
                               std::string(kSidecarSuffix) + " sidecar.",
                           "Drop --out; the sidecar of a.mp3 is a.mp3.aai.json.");
  }
  if (invocation.option("chars-per-caption")) {
    throw aai::usage_error("--chars-per-caption does not apply to a batch.",
                           "Drop --chars-per-caption, and fetch captions of one transcript with "
                           "`aai transcripts get ID -o srt`.");
  }
}

LlmChain per_source_chain(const aai::Invocation& invocation) {
  LlmChain chain;
  chain.prompts = invocation.options("llm");
  if (auto model = invocation.option("model")) {
    chain.model = *model;
  }
  if (auto max_tokens = invocation.option("max-tokens")) {
    chain.max_tokens = static_cast<int>(std::stoll(*max_tokens));
  }
  return chain;
}

// Returns the text --llm-reduce reads for one source: its last --llm output, or the transcript's
// text without --llm. Returns nullopt when the sidecar no longer holds a completed transcript.
std::optional<std::string> reduce_input_of(const std::string& source) {
  const SidecarRead read = read_sidecar(sidecar_path_for(source));
  if (read.state != SidecarRead::State::kCompleted) {
    return std::nullopt;
  }
  const nlohmann::json& document = read.document;
  if (document.contains("llm") && document["llm"].contains("steps") &&
      document["llm"]["steps"].is_array() && !document["llm"]["steps"].empty()) {
    return document["llm"]["steps"].back().value("output", "");
  }
  return document["transcript"].value("text", "");
}

// Runs --llm-reduce once over every source's result, read back from the sidecars, and prints
// the response.
void reduce_results(const aai::Host& host, const BatchSettings& settings,
                    const BatchOutcome& outcome, const std::string& prompt,
                    const CompleteFunction& complete) {
  // NOTE: every source's output goes into one request, so a large batch can exceed the model's context.
  std::string combined;
  for (size_t index = 0; index < settings.sources.size(); ++index) {
    if (!outcome.succeeded[index]) {
      continue;
    }
    const std::string& source = settings.sources[index];
    std::optional<std::string> text = reduce_input_of(source);
    if (!text) {
      throw aai::Error(AAI_EXIT_FAILURE, "invalid_sidecar",
                       "The sidecar of " + source + " no longer holds a completed transcript.",
                       "Run the same command again to transcribe it once more.");
    }
    combined += "Source: " + source + "\n" + *text + "\n\n";
  }

  aai::llm::ChatRequest request;
  request.model = settings.chain.model;
  request.max_tokens = settings.chain.max_tokens;
  request.stream = false;
  request.user = aai::llm::text_prompt(prompt, combined);
  if (settings.show_progress) {
    host.progress(
        "Asking the LLM Gateway about " + std::to_string(outcome.counts.finished()) + " sources", 0,
        0);
  }
  aai::llm::ChatResult answer;
  try {
    answer = complete(request);
  } catch (...) {
    host.clear_progress();
    throw;
  }
  host.clear_progress();

  if (settings.json) {
    nlohmann::ordered_json line;
    line["type"] = "reduce";
    line["prompt"] = prompt;
    line["model"] = answer.model;
    line["output"] = answer.output;
    host.write(line.dump() + "\n");
    return;
  }
  std::string text = answer.output;
  text.erase(text.find_last_not_of("\r\n") + 1);
  host.write(text + "\n");
}

std::string failed_names(const std::vector<SourceResult>& failures) {
  constexpr size_t kMaxNames = 10;
  std::string names;
  for (size_t i = 0; i < failures.size() && i < kMaxNames; ++i) {
    names += (i == 0 ? "" : ", ") + failures[i].source;
  }
  if (failures.size() > kMaxNames) {
    names += " and " + std::to_string(failures.size() - kMaxNames) + " more";
  }
  return names;
}

void report_end(const aai::Host& host, const BatchSettings& settings, const BatchOutcome& outcome) {
  if (settings.json) {
    host.write(summary_json(outcome.counts, outcome.interrupted).dump() + "\n");
  } else {
    for (const auto& failure : outcome.failures) {
      host.warn(failure.source + ": " + failure.error_message);
    }
    host.note(summary_text(outcome.counts, outcome.interrupted));
  }
}

}  // namespace

std::vector<aai::Option> batch_options() {
  return {
      aai::integer("concurrency", "N", "Sources of a batch in flight at once, 1 to 64 (default 4)"),
      aai::flag("force", "Transcribe sources of a batch again even when their sidecar is current"),
      aai::flag("from-stdin", "Read the sources of a batch from standard input, one per line"),
  };
}

size_t read_concurrency(const aai::Invocation& invocation) {
  const std::optional<std::string> text = invocation.option("concurrency");
  if (!text) {
    return kDefaultConcurrency;
  }
  // The host has already checked that the value is a 64-bit integer.
  const long long value = std::stoll(*text);
  if (value < 1 || value > kMaxConcurrency) {
    throw aai::usage_error("Invalid --concurrency '" + *text + "': it must be from 1 to " +
                               std::to_string(kMaxConcurrency) + ".",
                           "Pass how many sources to transcribe at once, such as --concurrency 4.");
  }
  return static_cast<size_t>(value);
}

int run_transcribe_batch(const aai::Host& host, const aai::Invocation& invocation,
                         const std::vector<std::string>& arguments) {
  // Every check that can fail on the user's input runs before the first request.
  BatchSettings settings;
  settings.concurrency = read_concurrency(invocation);
  settings.force = invocation.flag("force");
  reject_output_options(invocation);
  const std::optional<LlmChain> checked_chain = read_llm_chain(host, invocation);
  settings.chain = per_source_chain(invocation);
  const std::optional<std::string> reduce_prompt = invocation.option("llm-reduce");
  settings.params = transcript_params_from(invocation);

  std::vector<std::string> sources = arguments;
  if (invocation.flag("from-stdin")) {
    for (auto& line : read_source_lines(std::cin)) {
      sources.push_back(std::move(line));
    }
  }
  if (sources.empty()) {
    throw aai::usage_error("--from-stdin read no sources from standard input.",
                           "Pipe one path per line, as in `find talks -name '*.mp3' | aai "
                           "transcribe --from-stdin`.");
  }
  settings.sources = expand_batch_sources(sources);

  if (checked_chain) {
    host.require_environment_field("llm_gateway_base");
  }
  settings.api_base = host.require_environment_field("api_base");
  settings.json = host.is_json();
  settings.results_on_stderr = reduce_prompt.has_value() && !settings.json;
  settings.show_progress = host.is_terminal(2) && !host.is_quiet();
  settings.poll_initial = batch_poll_delays().initial;
  settings.poll_max = batch_poll_delays().max;

  const aai::llm::Gateway gateway(host);
  const CompleteFunction complete = [&gateway](const aai::llm::ChatRequest& request) {
    return gateway.complete(request);
  };
  const BatchOutcome outcome = run_batch(host, settings, complete);

  if (reduce_prompt && !outcome.interrupted) {
    if (outcome.failures.empty()) {
      reduce_results(host, settings, outcome, *reduce_prompt, complete);
    } else {
      host.warn("--llm-reduce did not run, because not every source completed.");
    }
  }
  report_end(host, settings, outcome);

  if (outcome.interrupted) {
    throw aai::Error(AAI_EXIT_INTERRUPTED, "interrupted",
                     "Interrupted with " +
                         std::to_string(outcome.counts.total - outcome.counts.finished()) + " of " +
                         std::to_string(outcome.counts.total) + " sources not finished.",
                     "Run the same command again to continue; finished sources are skipped and "
                     "submitted ones are not transcribed twice.");
  }
  if (!outcome.failures.empty()) {
    nlohmann::json failed = nlohmann::json::array();
    for (const auto& failure : outcome.failures) {
      failed.push_back({{"source", failure.source},
                        {"type", failure.error_type},
                        {"message", failure.error_message}});
    }
    throw aai::Error(AAI_EXIT_FAILURE, "batch_failed",
                     std::to_string(outcome.failures.size()) + " of " +
                         std::to_string(outcome.counts.total) +
                         " sources failed: " + failed_names(outcome.failures) + ".",
                     "Fix what the messages name and run the same command again; completed "
                     "sources are skipped.",
                     nlohmann::json{{"failed", std::move(failed)}}.dump());
  }
  return AAI_EXIT_OK;
}

}  // namespace transcribe
