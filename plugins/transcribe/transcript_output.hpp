// Shared by `transcribe` and `transcripts get`: output options and printing a finished transcript.
#pragma once

#include <aai/plugin.hpp>

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "llm_chain.hpp"
#include "transcript_api.hpp"

namespace transcribe {

/// The output options, validated.
struct OutputChoice {
  /// text, id, status, utterances, srt, vtt, json, or "human" for the default view.
  std::string format = "human";
  std::optional<long long> chars_per_caption;
  std::optional<std::string> out_path;
};

/// The option specs for -o, --chars-per-caption and --out.
std::vector<aai::Option> output_options();

/// Reads and checks the output options, including that --out can be written. Throws aai::Error
/// usage_error for --json with another -o, or --chars-per-caption without srt/vtt.
OutputChoice read_output_choice(const aai::Host& host, const aai::Invocation& invocation);

/// Throws api_error with transcript_id in details when the transcript's status is error.
void throw_if_failed(const nlohmann::json& transcript);

/// Renders the transcript in the chosen format and writes it to stdout or --out.
void deliver_transcript(const aai::Host& host, TranscriptApi& api, const nlohmann::json& transcript,
                        const OutputChoice& choice);

/// Renders a chain's answers for people: the answer alone for one step, otherwise a
/// `Step N: PROMPT` line before each answer and a blank line between steps.
std::string render_chain_text(const ChainResult& result);

/// The transcript's id, status and text with the chain's model and steps under "transform".
nlohmann::ordered_json chain_json(const nlohmann::json& transcript, const ChainResult& result);

}  // namespace transcribe
