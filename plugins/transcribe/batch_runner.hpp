// The engine of a batch: worker threads upload and create, the main thread polls every waiting
// transcript from one schedule, prints results and draws the progress line.
#pragma once

#include <aai/plugin.hpp>

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "batch_report.hpp"
#include "llm_chain.hpp"
#include "poll_policy.hpp"

namespace transcribe {

/// Everything a batch needs, validated by the command before the first request.
struct BatchSettings {
  /// The expanded sources, sorted and without duplicates.
  std::vector<std::string> sources;
  /// How many sources may be in flight (uploading, created or waiting) at once.
  size_t concurrency = 4;
  /// Redo sources whose completed sidecar matches.
  bool force = false;
  /// The transcript parameters, without audio_url.
  nlohmann::json params = nlohmann::json::object();
  /// The per-source --llm chain; empty prompts mean no chain.
  LlmChain chain;
  std::string api_base;
  /// Print NDJSON result lines instead of tab-separated ones.
  bool json = false;
  /// Print the text result lines as notes on stderr, because --llm-reduce owns stdout.
  bool results_on_stderr = false;
  bool show_progress = false;
  /// The polling backoff of each transcript; tests shorten it.
  std::chrono::milliseconds poll_initial = PollBackoff::kInitial;
  std::chrono::milliseconds poll_max = PollBackoff::kMax;
};

/// The outcome of a whole batch.
struct BatchOutcome {
  BatchCounts counts;
  bool interrupted = false;
  /// The failed sources in the order they failed.
  std::vector<SourceResult> failures;
  /// For each source, whether it ended completed or skipped, so --llm-reduce reads its sidecar.
  std::vector<bool> succeeded;
};

/// Runs the batch. Prints each result as it finishes and draws the progress line. Returns when
/// every source finished or, after Ctrl-C, when the work in flight stopped; every worker thread
/// is joined before it returns or throws. Throws the host's not_authenticated error (exit 4) at
/// once when the key is rejected, and StdoutClosed when stdout closes.
BatchOutcome run_batch(const aai::Host& host, const BatchSettings& settings,
                       const CompleteFunction& complete);

}  // namespace transcribe
