// Registers `transcribe` and `transcripts list|get|delete`. Registration only builds specs, so
// loading the plugin on every start stays cheap.
#include <aai/manifest.h>
#include <aai/plugin.hpp>

#include "transcribe_command.hpp"
#include "transcripts_commands.hpp"

namespace {

void register_transcribe(aai::Registrar& registrar) {
  registrar.add(transcribe::transcribe_command());
  registrar.add(transcribe::transcripts_list_command());
  registrar.add(transcribe::transcripts_get_command());
  registrar.add(transcribe::transcripts_delete_command());
}

}  // namespace

AAI_DEFINE_PLUGIN("transcribe", "0.1.0", "Pre-recorded transcription with AssemblyAI",
                  register_transcribe)

AAI_PLUGIN_MANIFEST(
    R"({"manifest": 1, "name": "transcribe", "version": "0.1.0", "abi": ")" AAI_MANIFEST_ABI R"(",
  "summary": "Pre-recorded transcription with AssemblyAI",
  "commands": ["transcribe", "transcripts list", "transcripts get", "transcripts delete"],
  "needs": ["network"],
  "summaries": {
    "transcribe": "Transcribe files, folders, an http(s) URL or standard input",
    "transcripts delete": "Delete a transcript's text and audio from the service",
    "transcripts get": "Fetch a past transcript by id and print it",
    "transcripts list": "List recent transcripts"}})");
