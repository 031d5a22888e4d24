// The read-only views of a completed transcript: subtitles, sentences, paragraphs, word search.
#pragma once

#include <map>
#include <string>

#include "server/api_response.hpp"
#include "server/transcript_record.hpp"

namespace aai::local {

using QueryParameters = std::map<std::string, std::string>;

/// Answers GET /v2/transcript/{id}/{view} for view srt, vtt, sentences, paragraphs or
/// word-search, or returns nullopt for any other view.
std::optional<ApiResponse> export_transcript(const TranscriptRecord& record,
                                             const std::string& view, const QueryParameters& query);

}  // namespace aai::local
