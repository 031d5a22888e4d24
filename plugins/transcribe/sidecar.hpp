// `<source>.aai.json`: the record next to each source of a batch that makes a rerun resume or
// skip it instead of transcribing it again.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace transcribe {

inline constexpr const char* kSidecarSuffix = ".aai.json";
/// The value of the sidecar's "version" member that this plugin writes and reads.
inline constexpr int kSidecarVersion = 1;

/// Returns `<source>.aai.json`.
std::string sidecar_path_for(const std::string& source);

/// The content of a sidecar file, checked for the members this plugin relies on.
struct SidecarRead {
  /// kCreating: the audio was uploaded and the create request may or may not have reached the
  /// service; the document has the upload_url but no transcript_id.
  enum class State { kMissing, kCorrupt, kCreating, kSubmitted, kCompleted, kError };
  State state = State::kMissing;
  /// The parsed document, for every state but kMissing and kCorrupt.
  nlohmann::json document;
  /// The reason a kCorrupt sidecar was rejected, as a sentence fragment.
  std::string problem;
};

/// Reads and checks the sidecar at `path`. A file that is not JSON, has another version or lacks
/// a member is kCorrupt with the reason in `problem`; nothing in it is trusted.
SidecarRead read_sidecar(const std::string& path);

/// Returns whether a creating, submitted or completed sidecar was made for the same audio bytes
/// and the same request options.
bool sidecar_matches(const nlohmann::json& document, const std::string& audio_sha256,
                     const std::string& options_sha256);

/// Throws aai::Error sidecar_not_writable (exit 1) when the folder of `source` does not let this
/// process create files, naming the source and the folder.
void check_sidecar_folder(const std::string& source);

/// Writes `document` to `path` atomically: a hidden temporary file in the same folder, fsync,
/// mode 0600, rename. Throws aai::Error sidecar_not_writable (exit 1) and leaves no temporary
/// file behind when a step fails.
void write_sidecar(const std::string& path, const nlohmann::ordered_json& document);

/// Returns the lower-case hex SHA-256 of the file's bytes. Throws aai::Error unreadable_audio
/// (exit 1) naming the path when it cannot be read.
std::string sha256_of_file(const std::string& path);

/// Returns the lower-case hex SHA-256 of `data`.
std::string sha256_of(const std::string& data);

/// The request options a sidecar records: the transcript parameters without audio_url and, when
/// --llm is given, its prompts, model and token limit.
nlohmann::json request_options_record(nlohmann::json params,
                                      const std::vector<std::string>& llm_prompts,
                                      const std::string& llm_model, int llm_max_tokens);

/// Returns the SHA-256 of the options record in canonical form: keys sorted, no spaces.
std::string options_digest(const nlohmann::json& options_record);

/// Returns the current UTC time as 2026-01-31T12:00:00Z.
std::string utc_timestamp();

}  // namespace transcribe
