#include "turn_renderer.hpp"

#include <cerrno>
#include <cstring>

namespace streaming {
namespace {

constexpr const char* kClearLine = "\r\x1b[K";

// Returns the end of `text` that fits in `columns` - 1 code points (one column stays free for
// the cursor). Counting code points is an approximation: wide characters take two columns.
std::string tail_that_fits(const std::string& text, int columns) {
  const size_t limit = columns > 1 ? static_cast<size_t>(columns - 1) : 1;
  size_t code_points = 0;
  for (size_t i = text.size(); i > 0; --i) {
    const auto byte = static_cast<unsigned char>(text[i - 1]);
    if ((byte & 0xC0) != 0x80 && ++code_points == limit) {
      return text.substr(i - 1);
    }
  }
  return text;
}

}  // namespace

std::string turn_line(const Turn& turn) {
  if (turn.speaker && !turn.speaker->empty()) {
    return "Speaker " + *turn.speaker + ": " + turn.transcript;
  }
  return turn.transcript;
}

void TerminalRenderer::partial(const Turn& turn) {
  host_.write(kClearLine + tail_that_fits(turn_line(turn), columns_));
  partial_shown_ = true;
}

void TerminalRenderer::final_turn(const Turn& turn) {
  std::string text = partial_shown_ ? kClearLine : "";
  partial_shown_ = false;
  if (!turn.transcript.empty()) {
    text += turn_line(turn) + "\n";
  }
  if (!text.empty()) {
    host_.write(text);
  }
}

void TerminalRenderer::finish() {
  if (partial_shown_) {
    partial_shown_ = false;
    host_.write(kClearLine);
  }
}

void TextRenderer::final_turn(const Turn& turn) {
  if (!turn.transcript.empty()) {
    host_.write(turn_line(turn) + "\n");
  }
}

void JsonRenderer::begin(const std::string& id, const nlohmann::json& expires_at) {
  nlohmann::json event = {{"type", "begin"}, {"id", id}};
  if (!expires_at.is_null()) {
    event["expires_at"] = expires_at;
  }
  host_.write(event.dump() + "\n");
}

void JsonRenderer::partial(const Turn& turn) {
  // An ended turn that is shown while its formatted text is awaited reaches final_turn later,
  // so it is printed there, once.
  if (!turn.end_of_turn) {
    write_turn(turn);
  }
}

void JsonRenderer::final_turn(const Turn& turn) {
  write_turn(turn);
}

void JsonRenderer::write_turn(const Turn& turn) {
  nlohmann::json event = {{"type", "turn"},
                          {"turn_order", turn.turn_order},
                          {"transcript", turn.transcript},
                          {"end_of_turn", turn.end_of_turn},
                          {"turn_is_formatted", turn.turn_is_formatted}};
  if (turn.speaker) {
    event["speaker"] = *turn.speaker;
  }
  event["words"] = turn.words;
  host_.write(event.dump() + "\n");
}

void JsonRenderer::termination(const nlohmann::json& audio_seconds,
                               const nlohmann::json& session_seconds) {
  const nlohmann::json event = {{"type", "termination"},
                                {"audio_duration_seconds", audio_seconds},
                                {"session_duration_seconds", session_seconds}};
  host_.write(event.dump() + "\n");
}

TranscriptFileRenderer::TranscriptFileRenderer(aai::Host host, const std::string& path)
    : host_(host), path_(path), file_(std::fopen(path.c_str(), "w")) {
  if (file_ == nullptr) {
    throw aai::Error(
        AAI_EXIT_USAGE, "save_transcript_path",
        "Could not create --save-transcript file '" + path + "': " + std::strerror(errno) + ".",
        "Pass --save-transcript a file path in an existing, writable folder.");
  }
}

TranscriptFileRenderer::~TranscriptFileRenderer() {
  std::fclose(file_);
}

void TranscriptFileRenderer::final_turn(const Turn& turn) {
  if (turn.transcript.empty()) {
    return;
  }
  const std::string line = turn_line(turn) + "\n";
  const bool written =
      std::fwrite(line.data(), 1, line.size(), file_) == line.size() && std::fflush(file_) == 0;
  if (!written && !warned_) {
    // The transcript on stdout matters more than the copy, so the session goes on.
    warned_ = true;
    host_.warn("Writing --save-transcript file '" + path_ + "' failed: " + std::strerror(errno) +
               ". Later turns are not saved.");
  }
}

void RendererList::begin(const std::string& id, const nlohmann::json& expires_at) {
  for (auto* renderer : renderers_) {
    renderer->begin(id, expires_at);
  }
}

void RendererList::partial(const Turn& turn) {
  for (auto* renderer : renderers_) {
    renderer->partial(turn);
  }
}

void RendererList::final_turn(const Turn& turn) {
  for (auto* renderer : renderers_) {
    renderer->final_turn(turn);
  }
}

void RendererList::termination(const nlohmann::json& audio_seconds,
                               const nlohmann::json& session_seconds) {
  for (auto* renderer : renderers_) {
    renderer->termination(audio_seconds, session_seconds);
  }
}

void RendererList::finish() {
  for (auto* renderer : renderers_) {
    renderer->finish();
  }
}

}  // namespace streaming
