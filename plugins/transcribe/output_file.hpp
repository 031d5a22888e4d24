// --out FILE: checked before any upload, written atomically afterwards.
#pragma once

#include <string>

namespace transcribe {

/// Checks that `path` can be created: not a folder, its folder exists and is writable. Throws
/// aai::Error save_transcript_path (exit 2) naming the path.
void check_output_path(const std::string& path);

/// Writes `content` to a temporary file in the same folder and renames it over `path`, so a
/// reader never sees a half-written file. Throws aai::Error (exit 1) when writing fails.
void write_file_atomically(const std::string& path, const std::string& content);

}  // namespace transcribe
