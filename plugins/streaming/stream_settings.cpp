#include "stream_settings.hpp"

#include <filesystem>
#include <system_error>
#include <tuple>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "query_fields.hpp"

namespace streaming {
namespace {

std::string joined_models() {
  std::string text;
  for (const auto& model : streaming_speech_models()) {
    text += (text.empty() ? "" : "|") + model;
  }
  return text;
}

// Option name to query parameter, for options that set exactly one parameter.
const std::vector<std::pair<std::string, std::string>>& option_fields() {
  static const std::vector<std::pair<std::string, std::string>> fields = {
      {"speech-model", "speech_model"},
      {"encoding", "encoding"},
      {"format-turns", "format_turns"},
      {"end-of-turn-confidence", "end_of_turn_confidence_threshold"},
      {"min-turn-silence", "min_turn_silence"},
      {"max-turn-silence", "max_turn_silence"},
      {"vad-threshold", "vad_threshold"},
      {"speaker-labels", "speaker_labels"},
      {"max-speakers", "max_speakers"},
      {"inactivity-timeout", "inactivity_timeout"},
      {"language-detection", "language_detection"}};
  return fields;
}

// (end_of_turn_confidence_threshold, min_turn_silence, max_turn_silence) of each
// --turn-detection preset.
std::tuple<std::string, std::string, std::string> preset_values(const std::string& preset) {
  if (preset == "aggressive") {
    return {"0.4", "160", "400"};
  }
  if (preset == "conservative") {
    return {"0.7", "800", "3600"};
  }
  return {"0.4", "400", "1280"};
}

SourceKind read_source(const aai::Invocation& invocation, std::string& file_path) {
  const std::vector<std::string> arguments = invocation.arguments();
  if (arguments.size() > 1) {
    throw aai::usage_error(
        "stream takes at most one SOURCE, got " + std::to_string(arguments.size()) + ".",
        "Pass one audio file, `-` for standard input, or nothing for the microphone.");
  }
  if (arguments.empty()) {
    return SourceKind::kMicrophone;
  }
  if (arguments.front() == "-") {
    return SourceKind::kStdin;
  }
  file_path = arguments.front();
  return SourceKind::kFile;
}

void check_audio_file(const std::string& path) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (!std::filesystem::exists(status)) {
    throw aai::Error(AAI_EXIT_USAGE, "file_not_found", "File not found: " + path,
                     "Check the path, or pass `-` to stream raw 16-bit PCM from standard input.");
  }
  if (!std::filesystem::is_regular_file(status)) {
    throw aai::Error(AAI_EXIT_USAGE, "not_a_file", "Not a file: " + path,
                     "Pass one audio file; aai streams one source at a time.");
  }
  if (std::filesystem::file_size(path, error) == 0) {
    throw aai::Error(AAI_EXIT_USAGE, "empty_audio", "The audio file is empty: " + path,
                     "Check that the recording finished writing, then run the command again.");
  }
}

void check_save_path(const std::string& option, const std::string& path) {
  const std::string type = option == "save-audio" ? "save_audio_path" : "save_transcript_path";
  const std::string suggestion =
      "Pass --" + option + " a file path in an existing, writable folder.";
  std::error_code error;
  if (path.empty() || path.back() == '/' || std::filesystem::is_directory(path, error)) {
    throw aai::Error(AAI_EXIT_USAGE, type,
                     "--" + option + " '" + path + "' is a folder, not a file.", suggestion);
  }
  std::filesystem::path folder = std::filesystem::path(path).parent_path();
  folder = folder.empty() ? std::filesystem::path(".") : folder;
  if (!std::filesystem::is_directory(folder, error)) {
    throw aai::Error(
        AAI_EXIT_USAGE, type,
        "The folder of --" + option + " '" + path + "' does not exist: " + folder.string(),
        suggestion);
  }
  if (::access(folder.c_str(), W_OK | X_OK) != 0) {
    throw aai::Error(
        AAI_EXIT_USAGE, type,
        "The folder of --" + option + " '" + path + "' is not writable: " + folder.string(),
        suggestion);
  }
}

OutputMode read_output(const aai::Host& host, const aai::Invocation& invocation) {
  const std::optional<std::string> output = invocation.option("output");
  if (host.is_json() && output && *output != "json") {
    throw aai::usage_error("--json cannot be combined with -o " + *output + ".",
                           "Drop --json to print " + *output + ", or use -o json.");
  }
  if (host.is_json() || output == "json") {
    return OutputMode::kJson;
  }
  if (output == "text" || !host.is_terminal(STDOUT_FILENO)) {
    return OutputMode::kText;
  }
  return OutputMode::kTerminal;
}

void apply_config(const aai::Invocation& invocation, std::map<std::string, std::string>& query) {
  const auto& keys = config_keys();
  for (const auto& pair : invocation.options("config")) {
    const size_t equals = pair.find('=');
    if (equals == std::string::npos || equals == 0) {
      throw aai::usage_error("Invalid --config '" + pair + "': expected KEY=VALUE.",
                             "Write it as --config min_turn_silence=300.");
    }
    const std::string key = pair.substr(0, equals);
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      throw aai::usage_error("Unknown --config key '" + key + "'.",
                             "Did you mean '" + closest_config_key(key) +
                                 "'? Keys are the streaming service's session parameters.");
    }
    query[key] = normalize_field(key, "--config " + key, pair.substr(equals + 1));
  }
}

void apply_flags(const aai::Invocation& invocation, std::map<std::string, std::string>& query) {
  if (const auto preset = invocation.option("turn-detection")) {
    std::tie(query["end_of_turn_confidence_threshold"], query["min_turn_silence"],
             query["max_turn_silence"]) = preset_values(*preset);
  }
  for (const auto& [option, field] : option_fields()) {
    if (const auto value = invocation.option(option)) {
      query[field] = normalize_field(field, "--" + option, *value);
    }
  }
  const std::vector<std::string> terms = invocation.options("keyterms-prompt");
  if (!terms.empty()) {
    query["keyterms_prompt"] = nlohmann::json(terms).dump();
  }
}

void check_silences(const std::map<std::string, std::string>& query) {
  const auto min_silence = query.find("min_turn_silence");
  const auto max_silence = query.find("max_turn_silence");
  if (min_silence == query.end() || max_silence == query.end() ||
      std::stoll(min_silence->second) <= std::stoll(max_silence->second)) {
    return;
  }
  throw aai::usage_error("The minimum turn silence (" + min_silence->second +
                             " ms) is longer than the maximum (" + max_silence->second + " ms).",
                         "Pass --min-turn-silence no larger than --max-turn-silence.");
}

std::map<std::string, std::string> read_query(const aai::Invocation& invocation) {
  std::map<std::string, std::string> query = {{"speech_model", streaming_speech_models().front()},
                                              {"encoding", "pcm_s16le"},
                                              {"format_turns", "true"}};
  apply_config(invocation, query);
  apply_flags(invocation, query);
  check_silences(query);
  // The opened source decides the rate; a --config value was checked above and is dropped here.
  query.erase("sample_rate");
  return query;
}

std::optional<int> read_integer(const aai::Invocation& invocation, const std::string& option,
                                const std::string& field) {
  const auto value = invocation.option(option);
  if (!value) {
    return std::nullopt;
  }
  if (field.empty()) {
    const std::string text = *value;
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) {
      throw aai::usage_error("Invalid --" + option + " '" + text + "': it must be 0 or more.",
                             "Pass the index of an input device.");
    }
    return std::stoi(text);
  }
  return std::stoi(normalize_field(field, "--" + option, *value));
}

}  // namespace

std::vector<aai::Option> stream_options() {
  return {
      aai::choice("output", "text|json", "What to print: final turns as text, or NDJSON events",
                  'o'),
      aai::integer("sample-rate", "HZ",
                   "Sample rate in Hz: of raw PCM on stdin (default 16000) or of the microphone"),
      aai::integer("device", "N", "Microphone to record from, as a PortAudio device index"),
      aai::choice("speech-model", joined_models(), "Speech model; universal-3-5-pro by default"),
      aai::choice("encoding", "pcm_s16le|pcm_mulaw",
                  "Encoding sent to the service; pcm_mulaw converts to G.711 mu-law first"),
      aai::boolean("format-turns", "Punctuate and capitalise final turns (default on)"),
      aai::choice("turn-detection", "aggressive|balanced|conservative",
                  "Preset for how soon a turn ends after the speaker pauses"),
      aai::number("end-of-turn-confidence", "0..1",
                  "Confidence needed to end a turn after the shorter silence"),
      aai::integer("min-turn-silence", "MS", "Silence that ends a turn when confident, in ms"),
      aai::integer("max-turn-silence", "MS", "Silence that always ends a turn, in ms"),
      aai::number("vad-threshold", "0..1", "Voice activity level below which audio is silence"),
      aai::repeated(aai::text("keyterms-prompt", "TEXT", "Word or phrase to recognise more often")),
      aai::flag("speaker-labels", "Label each turn with its speaker (diarisation)"),
      aai::integer("max-speakers", "N", "Maximum number of speakers, 1 to 10"),
      aai::integer("inactivity-timeout", "SECONDS",
                   "End the session after this many seconds without speech, 5 to 3600"),
      aai::flag("language-detection", "Detect the spoken language of each turn"),
      aai::repeated(aai::text("config", "KEY=VALUE", "Any other session parameter")),
      aai::flag("temp-token",
                "Connect with a temporary token, so the API key never reaches the WebSocket"),
      aai::text("save-audio", "FILE", "Also save the audio sent as a 16-bit mono WAV file"),
      aai::text("save-transcript", "FILE", "Also save final turns to FILE, one per line"),
  };
}

StreamSettings read_stream_settings(const aai::Host& host, const aai::Invocation& invocation) {
  StreamSettings settings;
  settings.source_kind = read_source(invocation, settings.file_path);
  settings.output = read_output(host, invocation);
  settings.sample_rate = read_integer(invocation, "sample-rate", "sample_rate");
  settings.device = read_integer(invocation, "device", "");
  if (settings.device && settings.source_kind != SourceKind::kMicrophone) {
    throw aai::usage_error("--device only applies to the microphone.",
                           "Leave out SOURCE to record from the microphone, or drop --device.");
  }
  settings.query = read_query(invocation);
  settings.temporary_token = invocation.flag("temp-token");
  settings.save_audio_path = invocation.option("save-audio");
  settings.save_transcript_path = invocation.option("save-transcript");
  if (settings.save_audio_path) {
    check_save_path("save-audio", *settings.save_audio_path);
  }
  if (settings.save_transcript_path) {
    check_save_path("save-transcript", *settings.save_transcript_path);
  }
  if (settings.source_kind == SourceKind::kFile) {
    check_audio_file(settings.file_path);
  }
  return settings;
}

}  // namespace streaming
