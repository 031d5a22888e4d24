#include "sse_parser.hpp"

namespace aai::llm {

void SseParser::feed(std::string_view bytes) {
  for (char byte : bytes) {
    if (done_) {
      return;
    }
    // A "\r\n" pair may be split across two pieces, so the "\n" after a "\r" is remembered.
    if (after_cr_ && byte == '\n') {
      after_cr_ = false;
      continue;
    }
    after_cr_ = byte == '\r';
    if (byte == '\r' || byte == '\n') {
      end_line();
    } else {
      line_ += byte;
    }
  }
}

void SseParser::end_line() {
  read_line(line_);
  line_.clear();
}

void SseParser::read_line(std::string_view line) {
  if (line.empty()) {
    dispatch();
    return;
  }
  if (line.front() == ':') {
    return;
  }
  const size_t colon = line.find(':');
  if (line.substr(0, colon) != "data") {
    return;
  }
  std::string_view value;
  if (colon != std::string_view::npos) {
    value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') {
      value.remove_prefix(1);
    }
  }
  if (has_data_) {
    data_ += '\n';
  }
  data_ += value;
  has_data_ = true;
}

void SseParser::dispatch() {
  if (!has_data_) {
    return;
  }
  std::string data = std::move(data_);
  data_.clear();
  has_data_ = false;
  if (data == "[DONE]") {
    done_ = true;
    return;
  }
  on_event_(data);
}

}  // namespace aai::llm
