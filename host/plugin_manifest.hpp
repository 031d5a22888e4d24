// Reads and checks the manifest a plugin embeds with AAI_PLUGIN_MANIFEST
// (sdk/include/aai/manifest.h) straight from its file, without loading it.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace aai::host {

/// The largest manifest section the host reads, in bytes. Real manifests are a few hundred bytes;
/// the limit keeps a garbage file from making the host allocate its size.
constexpr size_t kMaxManifestBytes = 64 * 1024;

/// What a plugin declares about itself in manifest format 1. The host only shows it: nothing
/// restricts a plugin to its "needs" or compares the manifest with what the plugin registers.
struct PluginManifest {
  std::string name;
  std::string version;
  /// "MAJOR.MINOR" of the plugin ABI the plugin was built for.
  std::string abi;
  std::string summary;
  /// Full command names, such as "transcripts list", in the manifest's order.
  std::vector<std::string> commands;
  /// Any of "network" and "credentials".
  std::vector<std::string> needs;
  /// The optional "summaries" member: each command's one-line summary, as the plugin registers
  /// it, keyed by full command name. When it covers every command, `aai --help` can list the
  /// plugin's commands from the manifest without loading the plugin.
  std::map<std::string, std::string> summaries;

  /// Whether "summaries" has a summary for every command in "commands".
  bool summarises_every_command() const { return summaries.size() == commands.size(); }
};

/// Result of reading a plugin file's manifest.
struct ManifestReading {
  enum class State {
    /// The file has no manifest section, or is not an ELF file at all.
    absent,
    valid,
    invalid,
  };

  State state = State::absent;
  /// The manifest, when `state` is valid.
  PluginManifest manifest;
  /// Reason the manifest is invalid, when `state` is invalid.
  std::string problem;
};

/// Parses and checks a manifest's JSON text. Every member is required, and members this format
/// does not define are ignored. Throws std::invalid_argument whose message is the reason, such as
/// `"abi" must be a string, not a number`.
PluginManifest parse_manifest(std::string_view text);

/// Returns the manifest text stored in the bytes of a manifest section: the text up to the first
/// NUL. Throws std::invalid_argument when more text follows that NUL (the macro was used twice).
std::string manifest_text_of_section(const std::string& contents);

/// Reads the manifest section of `file` without loading it. It catches every std::exception, so a
/// file that cannot be read, or whose section is bad, gives State::invalid with the reason.
ManifestReading read_plugin_manifest(const std::filesystem::path& file);

}  // namespace aai::host
