#include "answer_printer.hpp"

#include <utility>

namespace llm {
namespace {

Answer ask_live(const aai::Host& host, aai::llm::ChatRequest request) {
  request.stream = true;
  Answer answer;
  const aai::llm::Gateway gateway(host);
  try {
    answer.result = gateway.complete(request, [&](std::string_view piece) {
      if (!answer.printed_live) {
        host.clear_progress();
      }
      host.write(std::string(piece));
      answer.printed_live = true;
    });
  } catch (const aai::Error&) {
    host.clear_progress();
    if (answer.printed_live) {
      host.write("\n");
    }
    throw;
  }
  host.clear_progress();
  return answer;
}

// The host draws it on stderr only when that is a terminal, and clears it before anything else
// is written there.
void show_waiting(const aai::Host& host, const std::string& model) {
  host.progress("Asking " + model, 0, 0);
}

}  // namespace

Answer ask(const aai::Host& host, aai::llm::ChatRequest request, bool live) {
  show_waiting(host, request.model);
  if (live && aai::llm::supports_streaming(request.model)) {
    return ask_live(host, std::move(request));
  }
  Answer answer;
  try {
    answer.result = aai::llm::Gateway(host).complete(request);
  } catch (const aai::Error&) {
    host.clear_progress();
    throw;
  }
  host.clear_progress();
  return answer;
}

void print_text_answer(const aai::Host& host, const Answer& answer) {
  host.write(answer.printed_live ? "\n" : answer.result.output + "\n");
}

std::string json_line(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace llm
