// How session events reach the user: terminal redraw, plain final lines, NDJSON, or a file.
#pragma once

#include <aai/plugin.hpp>

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace streaming {

/// One Turn message of the service.
struct Turn {
  int turn_order = 0;
  std::string transcript;
  bool end_of_turn = false;
  bool turn_is_formatted = false;
  /// speaker_label, sent only when speaker_labels is on.
  std::optional<std::string> speaker;
  nlohmann::json words = nlohmann::json::array();
};

/// Returns the printed form of a final turn: `Speaker A: text`, or the text alone.
std::string turn_line(const Turn& turn);

/// Receives the session's events. The session calls final_turn once per turn with its final text.
class TurnRenderer {
 public:
  virtual ~TurnRenderer() = default;
  virtual void begin(const std::string& /*id*/, const nlohmann::json& /*expires_at*/) {}
  /// A turn still in progress; also an ended turn whose formatted text is still expected.
  virtual void partial(const Turn& /*turn*/) {}
  virtual void final_turn(const Turn& /*turn*/) {}
  virtual void termination(const nlohmann::json& /*audio_seconds*/,
                           const nlohmann::json& /*session_seconds*/) {}
  /// Called once at the end, also after a failure, to leave the terminal tidy.
  virtual void finish() {}
};

/// Redraws the partial turn in place with `\r` and `ESC[K` and prints final turns as lines.
class TerminalRenderer : public TurnRenderer {
 public:
  /// `columns` is the terminal width: a longer partial shows only its end, because `\r` cannot
  /// return to a line the terminal has already wrapped.
  TerminalRenderer(aai::Host host, int columns) : host_(host), columns_(columns) {}

  void partial(const Turn& turn) override;
  void final_turn(const Turn& turn) override;
  void finish() override;

 private:
  aai::Host host_;
  int columns_;
  bool partial_shown_ = false;
};

/// Prints each non-empty final turn as one line, flushed at once.
class TextRenderer : public TurnRenderer {
 public:
  explicit TextRenderer(aai::Host host) : host_(host) {}
  void final_turn(const Turn& turn) override;

 private:
  aai::Host host_;
};

/// Prints one JSON object per line: begin, turn (partials too) and termination.
class JsonRenderer : public TurnRenderer {
 public:
  explicit JsonRenderer(aai::Host host) : host_(host) {}
  void begin(const std::string& id, const nlohmann::json& expires_at) override;
  void partial(const Turn& turn) override;
  void final_turn(const Turn& turn) override;
  void termination(const nlohmann::json& audio_seconds,
                   const nlohmann::json& session_seconds) override;

 private:
  void write_turn(const Turn& turn);

  aai::Host host_;
};

/// --save-transcript: appends each non-empty final turn to a file as one line, flushed.
class TranscriptFileRenderer : public TurnRenderer {
 public:
  /// Creates (or empties) the file; throws aai::Error save_transcript_path (exit 2).
  TranscriptFileRenderer(aai::Host host, const std::string& path);
  ~TranscriptFileRenderer() override;
  TranscriptFileRenderer(const TranscriptFileRenderer&) = delete;
  TranscriptFileRenderer& operator=(const TranscriptFileRenderer&) = delete;

  void final_turn(const Turn& turn) override;

 private:
  aai::Host host_;
  std::string path_;
  std::FILE* file_;
  bool warned_ = false;
};

/// Passes every event to each renderer in order.
class RendererList : public TurnRenderer {
 public:
  void add(TurnRenderer& renderer) { renderers_.push_back(&renderer); }

  void begin(const std::string& id, const nlohmann::json& expires_at) override;
  void partial(const Turn& turn) override;
  void final_turn(const Turn& turn) override;
  void termination(const nlohmann::json& audio_seconds,
                   const nlohmann::json& session_seconds) override;
  void finish() override;

 private:
  std::vector<TurnRenderer*> renderers_;
};

}  // namespace streaming
