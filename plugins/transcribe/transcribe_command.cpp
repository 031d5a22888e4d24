#include "transcribe_command.hpp"

#include <string>

#include <unistd.h>

#include "audio_source.hpp"
#include "batch_command.hpp"
#include "batch_sources.hpp"
#include "llm_chain.hpp"
#include "poll_policy.hpp"
#include "transcript_api.hpp"
#include "transcript_output.hpp"
#include "transcript_params.hpp"
#include "transcript_request.hpp"

namespace transcribe {
namespace {

std::string joined(const std::vector<std::string>& values) {
  std::string text;
  for (const auto& value : values) {
    text += (text.empty() ? "" : "|") + value;
  }
  return text;
}

std::vector<aai::Option> request_options() {
  return {
      aai::choice("speech-model", joined(speech_models()),
                  "Speech model; universal-3-5-pro when no model is given"),
      aai::text("language-code", "CODE", "Language of the audio, such as en_us or de"),
      aai::flag("language-detection", "Detect the language instead of setting it"),
      aai::flag("speaker-labels", "Label who speaks when (diarisation)"),
      aai::integer("speakers-expected", "N", "Number of speakers (needs --speaker-labels)"),
      aai::boolean("punctuate", "Add punctuation (the service's default is on)"),
      aai::boolean("format-text", "Format numbers, casing and so on (default on)"),
      aai::repeated(aai::text("word-boost", "WORD", "Word or phrase to recognise more often")),
      aai::repeated(aai::text("keyterms-prompt", "TERM", "Domain term to recognise more often")),
      aai::flag("redact-pii", "Redact personal information from the text"),
      aai::text("redact-pii-policy", "POLICIES", "Comma-separated PII policies to redact"),
      aai::choice("redact-pii-sub", "hash|entity_name", "What replaces redacted text"),
      aai::flag("summarization", "Add a summary"),
      aai::choice("summary-model", "informative|conversational|catchy", "Summary model"),
      aai::choice("summary-type", "bullets|bullets_verbose|gist|headline|paragraph",
                  "Summary shape"),
      aai::flag("auto-chapters", "Split the transcript into chapters with headlines"),
      aai::flag("sentiment-analysis", "Add the sentiment of each sentence"),
      aai::flag("entity-detection", "Detect named entities"),
      aai::text("webhook-url", "URL", "URL the service calls when the transcript is ready"),
      aai::integer("audio-start", "MS", "Start transcribing at this offset, in milliseconds"),
      aai::integer("audio-end", "MS", "Stop transcribing at this offset, in milliseconds"),
      aai::repeated(aai::text("config", "KEY=VALUE", "Any other transcript parameter")),
      aai::text("config-file", "FILE", "JSON object of transcript parameters"),
  };
}

// Returns the audio_url for the source, uploading a local file or stdin first.
std::string audio_url_for(TranscriptApi& api, const std::string& source) {
  if (is_remote_url(source)) {
    return source;
  }
  if (source == "-") {
    TempFile buffer;
    const uint64_t size = copy_stdin_to(STDIN_FILENO, buffer);
    return api.upload(buffer.path(), size);
  }
  return api.upload(source, check_local_file(source));
}

}  // namespace

aai::Command transcribe_command() {
  std::vector<aai::Option> options = output_options();
  for (auto& option : request_options()) {
    options.push_back(std::move(option));
  }
  for (auto& option : llm_options()) {
    options.push_back(std::move(option));
  }
  for (auto& option : batch_options()) {
    options.push_back(std::move(option));
  }
  return {
      "transcribe",
      "Transcribe files, folders, an http(s) URL or standard input",
      "Uploads a local file (or `-` for standard input), creates a transcript, waits until it "
      "is done and prints it. With --llm, prints the LLM Gateway's answers about it instead. "
      "Several sources, a folder, a quoted glob pattern or --from-stdin run a batch: each "
      "finished source gets a SOURCE.aai.json sidecar with its transcript, and running the "
      "same command again skips finished sources and resumes submitted ones. "
      "Exit codes: 0 done, 1 API failure or a failed source, 2 bad input, 4 no or "
      "rejected API key, 130 interrupted.",
      std::move(options),
      {{"SOURCE", "Audio or video file, http(s) URL, - for standard input, folder or glob pattern",
        false, true}},
      &run_transcribe};
}

nlohmann::json wait_for_transcript(const aai::Host& host, TranscriptApi& api,
                                   nlohmann::json transcript) {
  const std::string id = transcript.value("id", "");
  PollBackoff backoff;
  auto interrupted = [&host] { return host.is_interrupted(); };
  for (;;) {
    const std::string status = transcript.value("status", "");
    if (status == "completed" || status == "error") {
      host.clear_progress();
      throw_if_failed(transcript);
      return transcript;
    }
    host.progress("Transcript " + id + ": " + status, 0, 0);
    if (!poll_sleep()(backoff.next_delay(), interrupted)) {
      host.clear_progress();
      nlohmann::json details = {{"transcript_id", id}};
      throw aai::Error(
          AAI_EXIT_INTERRUPTED, "interrupted",
          "Interrupted while waiting for transcript " + id + ".",
          "It keeps running on the service; `aai transcripts get " + id + "` fetches it later.",
          details.dump());
    }
    transcript = api.get(id);
  }
}

int run_transcribe(const aai::Host& host, const aai::Invocation& invocation) {
  const std::vector<std::string> arguments = invocation.arguments();
  if (is_batch_request(arguments, invocation.flag("from-stdin"))) {
    return run_transcribe_batch(host, invocation, arguments);
  }
  if (arguments.empty()) {
    throw aai::usage_error("transcribe needs a SOURCE.",
                           "Pass a file, an http(s) URL, `-` for standard input, a folder or a "
                           "glob pattern, or use --from-stdin.");
  }
  read_concurrency(invocation);
  const std::string& source = arguments.front();

  // Every check that can fail on the user's input runs before the first request.
  const std::optional<LlmChain> chain = read_llm_chain(host, invocation);
  const OutputChoice choice = read_output_choice(host, invocation);
  nlohmann::json params = transcript_params_from(invocation);
  if (!is_remote_url(source) && source != "-") {
    check_local_file(source);
  }
  if (chain) {
    host.require_environment_field("llm_gateway_base");
  }

  TranscriptApi api(host, host.require_environment_field("api_base"));
  params["audio_url"] = audio_url_for(api, source);
  nlohmann::json transcript =
      wait_for_transcript(host, api, api.create(params, TranscriptApi::kBatchRetries));
  if (chain) {
    answer_with_llm(host, *chain, transcript);
    return AAI_EXIT_OK;
  }
  deliver_transcript(host, api, transcript, choice);
  return AAI_EXIT_OK;
}

}  // namespace transcribe
