// An example aai plugin written with the C++ layer: `aai word-count FILE...` counts the words in
// text files, and a pre-request hook logs every request that any aai command sends (shown
// with -v).
#include <aai/manifest.h>
#include <aai/plugin.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "json_text.hpp"
#include "word_counter.hpp"

// What tools can learn about this file without loading it. It must name the same commands as the
// registration below, and "abi" must match the SDK it is built with (hello-c shows how to take
// it from the header's macros). "needs" is empty because the plugin sends no requests itself.
AAI_PLUGIN_MANIFEST(
    "{\"manifest\": 1, \"name\": \"word-count\", \"version\": \"1.0.0\", "
    "\"abi\": \"" AAI_MANIFEST_ABI "\", "
    "\"summary\": \"Example plugin in C++: counts words in text files\", "
    "\"commands\": [\"word-count\"], \"needs\": [], "
    "\"summaries\": {\"word-count\": \"Count the words in text files\"}}");

namespace {

namespace fs = std::filesystem;

constexpr size_t kReadChunkSize = 64 * 1024;

struct FileWordCount {
  std::string file;
  uint64_t words = 0;
};

aai::Error unreadable_file_error(const std::string& file, const std::string& reason) {
  return aai::Error(AAI_EXIT_USAGE, "file_not_readable",
                    "Could not read " + file + ": " + reason + ".",
                    "Check the path and the file's permissions.");
}

// Checks every FILE argument before any is read, so that a typo in the last one fails at once.
void check_file_argument(const std::string& file) {
  if (file.empty()) {
    throw aai::usage_error("A FILE argument is empty.",
                           "Pass a path, or - to read standard input.");
  }
  if (file == "-") {
    return;
  }
  std::error_code error;
  fs::file_status status = fs::status(file, error);
  if (error == std::errc::no_such_file_or_directory) {
    throw aai::Error(AAI_EXIT_USAGE, "file_not_found", "File not found: " + file,
                     "Check the path, or pass - to read standard input.");
  }
  if (error) {
    throw unreadable_file_error(file, error.message());
  }
  if (fs::is_directory(status)) {
    throw aai::Error(
        AAI_EXIT_USAGE, "not_a_file", "Not a file: " + file,
        "Pass the files inside the folder, such as " + (fs::path(file) / "*.txt").string() + ".");
  }
}

// Reads `file` ("-" is standard input) chunk by chunk into `counter`. Returns how many words of
// at least the minimum length it contained.
uint64_t count_file(const aai::Host& host, const std::string& file,
                    word_count::WordCounter& counter) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> opened(nullptr, &std::fclose);
  std::FILE* stream = stdin;
  if (file != "-") {
    opened.reset(std::fopen(file.c_str(), "rb"));
    if (!opened) {
      throw unreadable_file_error(file, std::strerror(errno));
    }
    stream = opened.get();
  }

  uint64_t words_before = counter.total_words();
  std::vector<char> buffer(kReadChunkSize);
  size_t size = 0;
  while ((size = std::fread(buffer.data(), 1, buffer.size(), stream)) > 0) {
    counter.add(std::string_view(buffer.data(), size));
    // Ctrl-C stops a long read with exit code 130.
    host.check_interrupted();
  }
  if (std::ferror(stream)) {
    throw unreadable_file_error(file, std::strerror(errno));
  }
  counter.end_text();
  return counter.total_words() - words_before;
}

// Returns the value of an integer option that has a default, or throws a usage error when it is
// below `minimum`. The host has already checked that the value is a 64-bit integer.
int64_t integer_option(const aai::Invocation& invocation, const std::string& name, int64_t minimum,
                       const std::string& suggestion) {
  std::string text = invocation.option(name).value();
  int64_t value = std::stoll(text);
  if (value < minimum) {
    throw aai::usage_error("Invalid value '" + text + "' for --" + name + ": expected " +
                               std::to_string(minimum) + " or more.",
                           suggestion);
  }
  return value;
}

std::string words_text(uint64_t count) {
  return std::to_string(count) + (count == 1 ? " word" : " words");
}

std::string render_text(const std::vector<FileWordCount>& files,
                        const word_count::WordCounter& counter,
                        const std::vector<word_count::WordFrequency>& top) {
  std::string text;
  for (const auto& file : files) {
    text += file.file + ": " + words_text(file.words) + "\n";
  }
  text += "Total: " + words_text(counter.total_words()) + ", " +
          std::to_string(counter.distinct_words()) + " distinct\n";
  if (top.empty()) {
    return text;
  }
  // Counts are right-aligned to the widest, which is the first.
  size_t width = std::to_string(top.front().count).size();
  text += "\nMost frequent:\n";
  for (const auto& entry : top) {
    std::string count = std::to_string(entry.count);
    text += "  " + std::string(width - count.size(), ' ') + count + "  " + entry.word + "\n";
  }
  return text;
}

std::string render_json(const std::vector<FileWordCount>& files,
                        const word_count::WordCounter& counter,
                        const std::vector<word_count::WordFrequency>& top) {
  std::string json = "{\"files\": [";
  for (size_t i = 0; i < files.size(); ++i) {
    json += (i == 0 ? "" : ", ");
    json += "{\"file\": " + word_count::json_quote(files[i].file) +
            ", \"words\": " + std::to_string(files[i].words) + "}";
  }
  json += "], \"total_words\": " + std::to_string(counter.total_words());
  json += ", \"distinct_words\": " + std::to_string(counter.distinct_words());
  json += ", \"top\": [";
  for (size_t i = 0; i < top.size(); ++i) {
    json += (i == 0 ? "" : ", ");
    json += "{\"word\": " + word_count::json_quote(top[i].word) +
            ", \"count\": " + std::to_string(top[i].count) + "}";
  }
  json += "]}\n";
  return json;
}

int run_word_count(const aai::Host& host, const aai::Invocation& invocation) {
  int64_t min_length =
      integer_option(invocation, "min-length", 1, "Pass --min-length 1 to count every word.");
  int64_t top_size = integer_option(invocation, "top", 0, "Pass --top 0 to print only the totals.");
  std::vector<std::string> file_arguments = invocation.arguments();
  for (const auto& file : file_arguments) {
    check_file_argument(file);
  }

  word_count::WordCounter counter(static_cast<size_t>(min_length));
  std::vector<FileWordCount> files;
  for (const auto& file : file_arguments) {
    files.push_back({file, count_file(host, file, counter)});
  }
  std::vector<word_count::WordFrequency> top = counter.most_frequent(static_cast<size_t>(top_size));

  // Nothing is written before every file was read, so a failure never leaves partial output.
  host.write(host.is_json() ? render_json(files, counter, top) : render_text(files, counter, top));
  return AAI_EXIT_OK;
}

// Runs before every HTTP request and WebSocket handshake of every command, in the order plugins
// registered their hooks, and before the credential provider adds the API key.
void log_request(const aai::Host& host, const aai::RequestEditor& request) {
  if (host.verbosity() < 1) {
    return;
  }
  // A query string may carry a temporary token (streaming URLs do), so it is never logged.
  std::string url = request.url();
  url = url.substr(0, url.find('?'));
  host.info("sending " + request.method() + " " + url);
}

void register_word_count(aai::Registrar& registrar) {
  aai::Command command;
  command.name = "word-count";
  command.summary = "Count the words in text files";
  command.description =
      "A word is a run of letters, digits and apostrophes; ASCII letters are compared without "
      "case. With --json, prints one object: {\"files\": [{\"file\", \"words\"}], "
      "\"total_words\", \"distinct_words\", \"top\": [{\"word\", \"count\"}]}.";
  command.options = {
      aai::with_default(
          aai::integer("min-length", "N", "Count only words of at least N characters."), "1"),
      aai::with_default(aai::integer("top", "N", "List the N most frequent words; 0 lists none."),
                        "10"),
  };
  command.arguments = {{"FILE", "Text file to read, or - for standard input", true, true}};
  command.run = &run_word_count;
  registrar.add(std::move(command));

  registrar.add_pre_request_hook(&log_request);
}

}  // namespace

AAI_DEFINE_PLUGIN("word-count", "1.0.0", "Example plugin in C++: counts words in text files",
                  register_word_count)
