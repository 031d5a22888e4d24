// Registers `aai llm`. Registration only builds the spec, so loading the plugin on every start
// stays cheap.
#include <aai/manifest.h>
#include <aai/plugin.hpp>

#include "llm_command.hpp"

namespace {

void register_llm(aai::Registrar& registrar) {
  registrar.add(llm::llm_command());
}

}  // namespace

AAI_DEFINE_PLUGIN("llm-gateway", "0.1.0", "Prompts to AssemblyAI's LLM Gateway", register_llm)

AAI_PLUGIN_MANIFEST(
    R"({"manifest": 1, "name": "llm-gateway", "version": "0.1.0", "abi": ")" AAI_MANIFEST_ABI R"(",
  "summary": "Prompts to AssemblyAI's LLM Gateway",
  "commands": ["llm"], "needs": ["network"],
  "summaries": {
    "llm": "Send a prompt to AssemblyAI's LLM Gateway and print the answer"}})");
