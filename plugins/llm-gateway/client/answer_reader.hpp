// Reads a chat completion response, whole JSON or server-sent events, from body pieces.
#pragma once

#include <aai_llm/gateway.hpp>

#include <string>
#include <string_view>

#include "sse_parser.hpp"

namespace aai::llm {

class AnswerReader {
 public:
  /// `requested_model` names the result when the response names no model; `on_delta` (may be
  /// empty) gets each piece of a streamed response as soon as its event is complete.
  AnswerReader(std::string requested_model, DeltaFunction on_delta);

  /// Takes the next piece of a 2xx body. The first byte that is not white space tells the kind
  /// of body: '{' starts a whole JSON response, anything else server-sent events. Throws
  /// aai::Error when an event carries an error or cannot be read.
  void feed(std::string_view bytes);

  /// Returns the response once the body has ended. `content_type` is the response's header, and a
  /// "text/event-stream" one makes a buffered body count as events. Throws aai::Error when the
  /// response cannot be read or a stream stopped before `[DONE]`.
  ChatResult finish(const std::string& content_type);

  /// The bytes kept of a body that is not server-sent events, for error messages.
  const std::string& buffered_body() const { return buffer_; }

 private:
  enum class Kind { kUnknown, kJson, kEvents };

  void read_event(const std::string& data);
  ChatResult read_whole() const;

  std::string requested_model_;
  DeltaFunction on_delta_;
  SseParser parser_;
  Kind kind_ = Kind::kUnknown;
  std::string buffer_;
  ChatResult streamed_;
};

}  // namespace aai::llm
