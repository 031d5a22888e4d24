#include "answer_reader.hpp"

#include <utility>

#include "gateway_errors.hpp"

namespace aai::llm {
namespace {

bool is_event_stream(const std::string& content_type) {
  return content_type.rfind("text/event-stream", 0) == 0;
}

// The text of choices[0] at `member` ("message" or "delta"), or nullptr when there is none.
const nlohmann::json* first_choice_content(const nlohmann::json& answer, const char* member) {
  const auto choices = answer.find("choices");
  if (choices == answer.end() || !choices->is_array() || choices->empty() ||
      !choices->front().is_object()) {
    return nullptr;
  }
  const auto part = choices->front().find(member);
  if (part == choices->front().end() || !part->is_object()) {
    return nullptr;
  }
  const auto content = part->find("content");
  return content != part->end() && content->is_string() ? &*content : nullptr;
}

}  // namespace

AnswerReader::AnswerReader(std::string requested_model, DeltaFunction on_delta)
    : requested_model_(std::move(requested_model)),
      on_delta_(std::move(on_delta)),
      parser_([this](const std::string& data) { read_event(data); }) {}

void AnswerReader::feed(std::string_view bytes) {
  if (kind_ == Kind::kUnknown) {
    const size_t first = bytes.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) {
      buffer_ += bytes;
      return;
    }
    kind_ = bytes[first] == '{' ? Kind::kJson : Kind::kEvents;
    if (kind_ == Kind::kEvents) {
      parser_.feed(buffer_);
      buffer_.clear();
    }
  }
  if (kind_ == Kind::kEvents) {
    parser_.feed(bytes);
  } else {
    buffer_ += bytes;
  }
}

ChatResult AnswerReader::finish(const std::string& content_type) {
  if (kind_ != Kind::kEvents && is_event_stream(content_type)) {
    kind_ = Kind::kEvents;
    parser_.feed(std::exchange(buffer_, {}));
  }
  if (kind_ != Kind::kEvents) {
    return read_whole();
  }
  // The gateway ends every complete stream with `[DONE]`; without it the response may be cut.
  if (!parser_.done()) {
    throw stream_cut_error();
  }
  ChatResult result = streamed_;
  if (result.model.empty()) {
    result.model = requested_model_;
  }
  return result;
}

void AnswerReader::read_event(const std::string& data) {
  const nlohmann::json chunk = nlohmann::json::parse(data, nullptr, false);
  if (!chunk.is_object()) {
    throw unreadable_answer("an event's data is not a JSON object");
  }
  if (const auto error = chunk.find("error"); error != chunk.end()) {
    int code = 0;
    if (error->is_object() && error->contains("code") && (*error)["code"].is_number_integer()) {
      code = (*error)["code"].get<int>();
    }
    throw aai::Error(AAI_EXIT_FAILURE, "api_error",
                     "The LLM Gateway stopped the streamed answer with an error (code " +
                         std::to_string(code) + "): " + gateway_message(data));
  }
  if (const auto model = chunk.find("model"); model != chunk.end() && model->is_string()) {
    streamed_.model = model->get<std::string>();
  }
  if (const auto usage = chunk.find("usage"); usage != chunk.end() && usage->is_object()) {
    streamed_.usage = *usage;
  }
  if (const nlohmann::json* content = first_choice_content(chunk, "delta")) {
    const std::string& piece = content->get_ref<const std::string&>();
    streamed_.output += piece;
    if (on_delta_ && !piece.empty()) {
      on_delta_(piece);
    }
  }
}

ChatResult AnswerReader::read_whole() const {
  if (buffer_.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw unreadable_answer("the body is empty");
  }
  const nlohmann::json answer = nlohmann::json::parse(buffer_, nullptr, false);
  if (!answer.is_object()) {
    throw unreadable_answer("the body is not a JSON object");
  }
  const auto choices = answer.find("choices");
  if (choices == answer.end() || !choices->is_array() || choices->empty()) {
    throw unreadable_answer("it has no choices");
  }
  const nlohmann::json* content = first_choice_content(answer, "message");
  if (content == nullptr) {
    throw unreadable_answer("its first choice has no message content");
  }
  ChatResult result;
  result.output = content->get<std::string>();
  const auto model = answer.find("model");
  const bool names_model = model != answer.end() && model->is_string();
  result.model = names_model ? model->get<std::string>() : requested_model_;
  if (const auto usage = answer.find("usage"); usage != answer.end() && usage->is_object()) {
    result.usage = *usage;
  }
  return result;
}

}  // namespace aai::llm
