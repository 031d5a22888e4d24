// `aai transcribe SOURCE`: upload or link the audio, create a transcript, wait, print it.
#pragma once

#include <aai/plugin.hpp>

#include <nlohmann/json.hpp>

#include "transcript_api.hpp"

namespace transcribe {

/// Returns the command spec with every option.
aai::Command transcribe_command();

/// Runs the command; the host's C trampoline turns aai::Error into a reported failure.
int run_transcribe(const aai::Host& host, const aai::Invocation& invocation);

/// Polls GET /v2/transcript/{id} with PollBackoff until completed or error, showing the status on
/// the progress line. Throws exit 130 when interrupted and api_error when the status is error.
nlohmann::json wait_for_transcript(const aai::Host& host, TranscriptApi& api,
                                   nlohmann::json transcript);

}  // namespace transcribe
