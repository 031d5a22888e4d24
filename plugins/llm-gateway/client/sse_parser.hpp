// An incremental parser for a server-sent events (text/event-stream) body, fed in arbitrary
// byte pieces as they arrive.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace aai::llm {

class SseParser {
 public:
  /// Called with the data of each complete event (its `data:` lines joined by "\n").
  using EventFunction = std::function<void(const std::string& data)>;

  explicit SseParser(EventFunction on_event) : on_event_(std::move(on_event)) {}

  /// Parses the next piece of the body. Lines may end in "\n", "\r\n" or "\r", and a line or an
  /// event may be split across pieces. Comment lines (starting ':') and fields other than `data`
  /// are skipped. An event whose data is `[DONE]` ends the stream: it is not passed on, and
  /// everything after it is ignored.
  void feed(std::string_view bytes);

  /// Whether the `[DONE]` event arrived.
  bool done() const { return done_; }

  /// Whether bytes of an event that never ended (no blank line yet) are pending.
  bool has_partial_event() const { return !line_.empty() || has_data_; }

 private:
  void end_line();
  void read_line(std::string_view line);
  void dispatch();

  EventFunction on_event_;
  std::string line_;
  std::string data_;
  bool has_data_ = false;
  bool after_cr_ = false;
  bool done_ = false;
};

}  // namespace aai::llm
