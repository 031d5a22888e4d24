// `aai transcripts list|get|delete`: past transcripts of the account.
#pragma once

#include <aai/plugin.hpp>

#include <string>

namespace transcribe {

aai::Command transcripts_list_command();
aai::Command transcripts_get_command();
aai::Command transcripts_delete_command();

/// Throws aai::Error usage_error unless `id` matches ^[A-Za-z0-9_-]+$.
void check_transcript_id(const std::string& id);

}  // namespace transcribe
