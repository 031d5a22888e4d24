// GET /v2/transcript: filters and pages of transcripts, newest first.
#pragma once

#include <map>
#include <string>

#include "server/api_response.hpp"
#include "server/transcript_store.hpp"

namespace aai::local {

/// Answers the list endpoint for `query` (limit, status, created_on, before_id, after_id,
/// throttled_only). prev_url points to older transcripts and next_url to newer ones, and each is
/// null when there are none in that direction.
ApiResponse list_transcripts(const TranscriptStore& store, const std::string& base_url,
                             const std::string& target,
                             const std::map<std::string, std::string>& query);

}  // namespace aai::local
