#include "content_sources.hpp"

#include <aai_llm/gateway.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "stdin_lines.hpp"

namespace llm {
namespace fs = std::filesystem;
namespace {

constexpr const char* kFilesSuggestion =
    "Pass text files, or folders that contain .md or .txt files.";

struct NamedFile {
  fs::path path;
  std::string name;
};

bool is_text_file(const fs::directory_entry& entry) {
  std::error_code error;
  if (!entry.is_regular_file(error)) {
    return false;
  }
  const std::string extension = entry.path().extension().string();
  return extension == ".md" || extension == ".txt";
}

std::vector<NamedFile> files_in_folder(const std::string& folder) {
  std::vector<NamedFile> found;
  std::error_code error;
  for (fs::recursive_directory_iterator it(folder, error), end; !error && it != end;
       it.increment(error)) {
    if (is_text_file(*it)) {
      found.push_back({it->path(), it->path().lexically_relative(folder).generic_string()});
    }
  }
  if (error) {
    throw aai::usage_error("Could not read folder '" + folder + "': " + error.message() + ".",
                           kFilesSuggestion);
  }
  std::sort(found.begin(), found.end(),
            [](const NamedFile& a, const NamedFile& b) { return a.path < b.path; });
  if (found.empty()) {
    throw aai::usage_error("Folder '" + folder + "' contains no .md or .txt files.",
                           kFilesSuggestion);
  }
  return found;
}

std::vector<NamedFile> expand_paths(const std::vector<std::string>& paths) {
  std::vector<NamedFile> files;
  for (const std::string& path : paths) {
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    if (!fs::exists(status)) {
      throw aai::Error(AAI_EXIT_USAGE, "file_not_found", "File not found: " + path,
                       kFilesSuggestion);
    }
    if (fs::is_directory(status)) {
      std::vector<NamedFile> found = files_in_folder(path);
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(status)) {
      files.push_back({path, path});
    } else {
      throw aai::Error(AAI_EXIT_USAGE, "not_a_file", "Not a file: " + path, kFilesSuggestion);
    }
  }
  return files;
}

std::string read_file(const fs::path& path) {
  std::ifstream stream(path, std::ios::binary);
  std::ostringstream text;
  text << stream.rdbuf();
  if (!stream) {
    throw aai::usage_error("Could not read '" + path.string() + "': " + std::strerror(errno) + ".",
                           "Check the file's permissions.");
  }
  std::string content = text.str();
  check_utf8(content, "File '" + path.string() + "'");
  return content;
}

std::string without_trailing_newlines(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
    text.pop_back();
  }
  return text;
}

}  // namespace

void check_utf8(const std::string& text, const std::string& source) {
  try {
    // nlohmann::json validates UTF-8 when it serializes a string.
    static_cast<void>(nlohmann::json(text).dump());
  } catch (const nlohmann::json::type_error&) {
    throw aai::usage_error(source + " is not UTF-8 text.", "Convert it to UTF-8 and try again.");
  }
}

std::string read_files(const std::vector<std::string>& paths) {
  std::string text;
  for (const NamedFile& file : expand_paths(paths)) {
    if (!text.empty()) {
      text += "\n\n";
    }
    text += "===== " + file.name + " =====\n" + without_trailing_newlines(read_file(file.path));
  }
  return text;
}

Content choose_content(const aai::Host& host, const std::string& prompt,
                       const std::optional<std::string>& transcript_id,
                       const std::vector<std::string>& files) {
  if (transcript_id) {
    if (!files.empty()) {
      host.warn("--transcript-id is set, so the files are ignored.");
    }
    if (stdin_has_data(host, input_fd(), kIgnoredStdinWaitMs)) {
      host.warn("--transcript-id is set, so standard input is ignored.");
    }
    return {aai::llm::transcript_prompt(prompt), transcript_id};
  }
  if (!files.empty()) {
    std::string text = read_files(files);
    if (stdin_has_data(host, input_fd(), kIgnoredStdinWaitMs)) {
      host.warn("files are given, so standard input is ignored.");
    }
    return {aai::llm::text_prompt(prompt, text), std::nullopt};
  }
  if (!host.is_terminal(STDIN_FILENO)) {
    std::string text = without_trailing_newlines(InputReader(host, input_fd()).read_all());
    check_utf8(text, "Standard input");
    if (text.find_first_not_of(" \t\r\n") != std::string::npos) {
      return {aai::llm::text_prompt(prompt, text), std::nullopt};
    }
  }
  return {prompt, std::nullopt};
}

}  // namespace llm
