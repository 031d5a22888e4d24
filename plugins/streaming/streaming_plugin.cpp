// Registers `stream`. Registration only builds the spec; the audio library is loaded when a
// command first needs it, so loading this plugin on every start stays cheap.
#include <aai/manifest.h>
#include <aai/plugin.hpp>

#include "stream_command.hpp"

namespace {

void register_streaming(aai::Registrar& registrar) {
  registrar.add(streaming::stream_command());
}

}  // namespace

AAI_DEFINE_PLUGIN("streaming", "0.1.0", "Live transcription with AssemblyAI's Streaming API",
                  register_streaming)

AAI_PLUGIN_MANIFEST(
    R"({"manifest": 1, "name": "streaming", "version": "0.1.0", "abi": ")" AAI_MANIFEST_ABI R"(",
  "summary": "Live transcription with AssemblyAI's Streaming API",
  "commands": ["stream"], "needs": ["network"],
  "summaries": {
    "stream": "Transcribe live audio from the microphone, a file or standard input"}})");
