// The content sources of `aai llm` besides the prompt: a transcript by id, files, piped standard
// input, or nothing, in that order of priority.
#pragma once

#include <aai/plugin.hpp>

#include <optional>
#include <string>
#include <vector>

namespace llm {

/// The user message and, when the gateway injects a transcript, its id.
struct Content {
  std::string user;
  std::optional<std::string> transcript_id;
};

/// How long a pipe on standard input may take to deliver its first byte before a higher source
/// makes it count as absent, in milliseconds.
inline constexpr int kIgnoredStdinWaitMs = 200;

/// Reads files and folders into one text: each file under a `===== NAME =====` line, blocks
/// separated by a blank line. A file's NAME is its path as given; a folder contributes its .md
/// and .txt files, searched recursively in sorted path order and named relative to the folder.
/// Throws aai::Error with exit 2 for a missing path, a path that is neither a file nor a folder,
/// a folder without text files, or a file that is not UTF-8.
std::string read_files(const std::vector<std::string>& paths);

/// Builds the content by priority (--transcript-id, then files, then piped standard input, then
/// the prompt alone) and warns on stderr about each lower source that is present but ignored.
Content choose_content(const aai::Host& host, const std::string& prompt,
                       const std::optional<std::string>& transcript_id,
                       const std::vector<std::string>& files);

/// Throws aai::Error with exit 2 when `text` is not valid UTF-8; `source` names it ("File
/// 'notes.txt'", "Standard input").
void check_utf8(const std::string& text, const std::string& source);

}  // namespace llm
