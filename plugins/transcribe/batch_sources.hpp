// Expanding the SOURCE arguments of a batch: folders, glob patterns and --from-stdin lines.
#pragma once

#include <istream>
#include <optional>
#include <string>
#include <vector>

namespace transcribe {

/// The file extensions a folder search picks up, lower case and without the dot.
const std::vector<std::string>& batch_audio_extensions();

/// Returns whether `path` ends in one of batch_audio_extensions, in any case.
bool has_audio_extension(const std::string& path);

/// Returns whether `text` contains a glob(3) wildcard: `*`, `?` or `[`.
bool has_glob_wildcard(const std::string& text);

/// Returns whether the arguments ask for a batch: more than one SOURCE, --from-stdin, a folder or
/// a glob pattern that does not name an existing file. One file, URL or `-` keeps single mode.
bool is_batch_request(const std::vector<std::string>& arguments, bool from_stdin);

/// Reads one source per line; blank lines and a trailing carriage return are dropped.
std::vector<std::string> read_source_lines(std::istream& in);

/// Expands every source into the files of the batch: a folder recursively (audio and video
/// extensions only, hidden entries and *.aai.json sidecars skipped), a glob pattern with glob(3),
/// a file as given. Removes duplicates (same real path) and sorts by path. Throws aai::Error
/// usage_error for `-`, a URL, a missing path, a pattern without matches or an empty result.
std::vector<std::string> expand_batch_sources(const std::vector<std::string>& sources);

}  // namespace transcribe
