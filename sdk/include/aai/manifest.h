// The plugin manifest: a JSON text a plugin embeds in its file so that the host can describe it
// (name, version, ABI, commands, needs) without loading it or running any of its code.
#pragma once

/// Name of the ELF section that contains the manifest.
#define AAI_MANIFEST_SECTION ".aai_manifest"

#include <aai/plugin.h>

/// Format revision of the manifest's JSON, stored in its "manifest" member.
#define AAI_MANIFEST_FORMAT 1

#define AAI_MANIFEST_STRINGIFY_VALUE(value) #value
#define AAI_MANIFEST_STRINGIFY(value) AAI_MANIFEST_STRINGIFY_VALUE(value)

/// The "abi" value for the header in use, "MAJOR.MINOR" as a string literal, so that a manifest
/// names the ABI the plugin is built for without a number to keep in step by hand:
///   AAI_PLUGIN_MANIFEST("{... \"abi\": \"" AAI_MANIFEST_ABI "\", ...}");
#define AAI_MANIFEST_ABI                         \
  AAI_MANIFEST_STRINGIFY(AAI_ABI_VERSION_MAJOR) \
  "." AAI_MANIFEST_STRINGIFY(AAI_ABI_VERSION_MINOR)

/// Embeds a manifest. Use it once, at file scope, in one source file of the plugin:
///
///   AAI_PLUGIN_MANIFEST("{\"manifest\": 1, \"name\": \"hello\", \"version\": \"1.0.0\", "
///                       "\"abi\": \"" AAI_MANIFEST_ABI "\", \"summary\": \"Greets people.\", "
///                       "\"commands\": [\"hello\"], \"needs\": [\"network\"], "
///                       "\"summaries\": {\"hello\": \"Print a greeting\"}}");
///
/// Members: "manifest" (AAI_MANIFEST_FORMAT), "name" and "version" (as in the descriptor),
/// "abi" ("MAJOR.MINOR" the plugin was built for), "summary", "commands" (each command's full
/// name, such as "transcripts list"), and "needs", a list of any of "network" (sends requests)
/// and "credentials" (uses the API key or the keyring). The optional "summaries" maps each
/// command to the summary it registers with; when it covers every command, `aai --help` lists
/// the plugin from the manifest without loading it. The host reads the section straight from
/// the file; a plugin without one still loads, and `aai plugins list` shows it has no manifest.
#if defined(__GNUC__)
#define AAI_PLUGIN_MANIFEST(json_text)                                          \
  __attribute__((used, section(AAI_MANIFEST_SECTION))) static const char       \
      aai_plugin_manifest_text_[] = json_text
#else
#define AAI_PLUGIN_MANIFEST(json_text) \
  static const char aai_plugin_manifest_text_[] = json_text
#endif
