// Everything `aai stream` reads from its options and SOURCE, checked before any connection.
#pragma once

#include <aai/plugin.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace streaming {

enum class SourceKind { kMicrophone, kStdin, kFile };

/// How turns are printed: redrawn in place on a terminal, final lines only, or NDJSON events.
enum class OutputMode { kTerminal, kText, kJson };

struct StreamSettings {
  SourceKind source_kind = SourceKind::kMicrophone;
  /// The file to stream when source_kind is kFile.
  std::string file_path;
  /// --sample-rate, in Hz.
  std::optional<int> sample_rate;
  /// --device, a PortAudio device index.
  std::optional<int> device;
  OutputMode output = OutputMode::kText;
  std::optional<std::string> save_audio_path;
  std::optional<std::string> save_transcript_path;
  bool temporary_token = false;

  /// Query parameters of the session except sample_rate, which the opened source decides.
  std::map<std::string, std::string> query;

  bool format_turns() const { return query.at("format_turns") == "true"; }
  bool mulaw() const { return query.at("encoding") == "pcm_mulaw"; }
  bool speaker_labels() const {
    const auto found = query.find("speaker_labels");
    return found != query.end() && found->second == "true";
  }
};

/// Returns the option specs of `aai stream`.
std::vector<aai::Option> stream_options();

/// Reads and checks every option and SOURCE. Throws aai::Error (exit 2) naming the option and
/// quoting the value: usage_error, file_not_found, not_a_file, empty_audio, save_audio_path or
/// save_transcript_path.
StreamSettings read_stream_settings(const aai::Host& host, const aai::Invocation& invocation);

}  // namespace streaming
