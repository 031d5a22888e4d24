#include "batch_sources.hpp"

#include <aai/plugin.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>
#include <system_error>

#include <glob.h>

#include "audio_source.hpp"
#include "sidecar.hpp"

namespace transcribe {
namespace {

namespace fs = std::filesystem;

std::string lower(std::string text) {
  for (char& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

bool is_hidden(const fs::path& path) {
  const std::string name = path.filename().string();
  return !name.empty() && name.front() == '.';
}

bool is_sidecar_name(const std::string& path) {
  return lower(path).ends_with(kSidecarSuffix);
}

// Adds the audio files under `folder`, skipping hidden files and folders.
void add_folder(const std::string& folder, std::vector<std::string>& found) {
  std::error_code error;
  fs::recursive_directory_iterator entries(folder, fs::directory_options::skip_permission_denied,
                                           error);
  if (error) {
    throw aai::usage_error("Cannot read the folder '" + folder + "': " + error.message() + ".",
                           "Check its permissions, or pass the files one by one.");
  }
  for (auto it = fs::begin(entries); it != fs::end(entries); it.increment(error)) {
    if (error) {
      break;
    }
    if (is_hidden(it->path())) {
      if (it->is_directory(error)) {
        it.disable_recursion_pending();
      }
      continue;
    }
    const std::string path = it->path().string();
    if (it->is_regular_file(error) && has_audio_extension(path) && !is_sidecar_name(path)) {
      found.push_back(path);
    }
  }
}

void add_glob(const std::string& pattern, std::vector<std::string>& found) {
  glob_t matches{};
  const int status = ::glob(pattern.c_str(), 0, nullptr, &matches);
  if (status == GLOB_NOMATCH) {
    ::globfree(&matches);
    throw aai::usage_error("No files match the pattern '" + pattern + "'.",
                           "Check the pattern; quote it so that aai, not the shell, expands it.");
  }
  std::vector<std::string> paths(matches.gl_pathv, matches.gl_pathv + matches.gl_pathc);
  ::globfree(&matches);
  for (const auto& path : paths) {
    std::error_code error;
    if (fs::is_directory(path, error)) {
      add_folder(path, found);
    } else if (!is_sidecar_name(path)) {
      found.push_back(path);
    }
  }
}

void add_source(const std::string& source, std::vector<std::string>& found) {
  if (source == "-") {
    throw aai::usage_error("`-` (standard input) cannot be part of a batch.",
                           "Transcribe standard input on its own with `aai transcribe -`.");
  }
  if (is_remote_url(source)) {
    throw aai::usage_error("URLs cannot be part of a batch: " + source,
                           "Transcribe a URL on its own with `aai transcribe URL`, or download "
                           "the files into a folder and pass the folder.");
  }
  std::error_code error;
  const fs::file_status status = fs::status(source, error);
  if (fs::is_directory(status)) {
    add_folder(source, found);
  } else if (fs::exists(status)) {
    found.push_back(source);
  } else if (has_glob_wildcard(source)) {
    add_glob(source, found);
  } else {
    throw aai::usage_error("File not found: " + source,
                           "Check the path; a batch takes files, folders and glob patterns.",
                           "file_not_found");
  }
}

}  // namespace

const std::vector<std::string>& batch_audio_extensions() {
  static const std::vector<std::string> kExtensions = {
      "3ga", "aac",  "ac3", "aif",  "aiff", "alac", "amr", "ape", "au",  "avi",
      "dss", "flac", "flv", "m2ts", "m4a",  "m4b",  "m4p", "m4v", "mka", "mkv",
      "mov", "mp2",  "mp3", "mp4",  "mpeg", "mpg",  "mts", "oga", "ogg", "opus",
      "qt",  "spx",  "ts",  "wav",  "webm", "wma",  "wmv"};
  return kExtensions;
}

bool has_audio_extension(const std::string& path) {
  const std::string extension = lower(fs::path(path).extension().string());
  if (extension.size() < 2) {
    return false;
  }
  const auto& known = batch_audio_extensions();
  return std::find(known.begin(), known.end(), extension.substr(1)) != known.end();
}

bool has_glob_wildcard(const std::string& text) {
  return text.find_first_of("*?[") != std::string::npos;
}

bool is_batch_request(const std::vector<std::string>& arguments, bool from_stdin) {
  if (from_stdin || arguments.size() > 1) {
    return true;
  }
  if (arguments.empty()) {
    return false;
  }
  const std::string& source = arguments.front();
  if (source == "-" || is_remote_url(source)) {
    return false;
  }
  std::error_code error;
  const fs::file_status status = fs::status(source, error);
  if (fs::is_directory(status)) {
    return true;
  }
  return !fs::exists(status) && has_glob_wildcard(source);
}

std::vector<std::string> read_source_lines(std::istream& in) {
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (line.find_first_not_of(" \t") != std::string::npos) {
      lines.push_back(line);
    }
  }
  return lines;
}

std::vector<std::string> expand_batch_sources(const std::vector<std::string>& sources) {
  std::vector<std::string> found;
  for (const auto& source : sources) {
    add_source(source, found);
  }
  for (auto& path : found) {
    path = fs::path(path).lexically_normal().string();
  }
  std::sort(found.begin(), found.end());

  // Keep the first spelling of each real path, so `a.mp3` and `./a.mp3` are one source.
  std::set<std::string> seen;
  std::vector<std::string> unique;
  for (auto& path : found) {
    std::error_code error;
    fs::path real = fs::canonical(path, error);
    const std::string key =
        error ? fs::absolute(path, error).lexically_normal().string() : real.string();
    if (seen.insert(key).second) {
      unique.push_back(std::move(path));
    }
  }
  if (unique.empty()) {
    throw aai::usage_error("No audio or video files found in the batch sources.",
                           "Pass folders with audio or video files (.mp3, .wav, .m4a, .mp4 and "
                           "others), or name the files directly.");
  }
  return unique;
}

}  // namespace transcribe
