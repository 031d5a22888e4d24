#include "follow_mode.hpp"

#include <vector>

#include <unistd.h>

#include "answer_printer.hpp"
#include "stdin_lines.hpp"

namespace llm {
namespace {

constexpr const char* kClearScreen = "\x1b[2J\x1b[H";
constexpr const char* kDim = "\x1b[2m";
constexpr const char* kReset = "\x1b[0m";

// Moves every line that has already arrived into `lines`, without waiting for more.
void read_ready_lines(InputReader& reader, std::vector<std::string>& lines) {
  while (!reader.at_end() && reader.wait(0)) {
  }
  for (std::string& line : reader.take_lines()) {
    lines.push_back(std::move(line));
  }
}

std::string joined_lines(const std::vector<std::string>& lines) {
  std::string text;
  for (size_t i = 0; i < lines.size(); ++i) {
    text += (i == 0 ? "" : "\n") + lines[i];
  }
  return text;
}

std::string lines_read_header(size_t count) {
  return std::to_string(count) + (count == 1 ? " line read" : " lines read");
}

void answer_lines(const aai::Host& host, aai::llm::ChatRequest request, const std::string& prompt,
                  const std::vector<std::string>& lines, bool json) {
  request.user = aai::llm::text_prompt(prompt, joined_lines(lines));
  if (json) {
    const Answer answer = ask(host, std::move(request), false);
    host.write(
        json_line({{"type", "answer"}, {"turns", lines.size()}, {"output", answer.result.output}}));
    return;
  }
  const bool terminal = host.is_terminal(STDOUT_FILENO);
  if (terminal) {
    host.write(std::string(kClearScreen) + kDim + lines_read_header(lines.size()) + kReset + "\n");
  }
  const Answer answer = ask(host, std::move(request), terminal);
  print_text_answer(host, answer);
  if (!terminal) {
    host.write("\n");
  }
}

}  // namespace

int run_follow(const aai::Host& host, const aai::llm::ChatRequest& base, const std::string& prompt,
               bool json) {
  InputReader reader(host, input_fd());
  std::vector<std::string> lines;
  size_t answered = 0;
  for (;;) {
    host.check_interrupted();
    read_ready_lines(reader, lines);
    if (lines.size() > answered) {
      answer_lines(host, base, prompt, lines, json);
      answered = lines.size();
      continue;
    }
    if (reader.at_end()) {
      break;
    }
    reader.wait(kInterruptCheckMs);
  }
  if (lines.empty()) {
    throw aai::usage_error("Standard input was empty: --follow needs lines to read.");
  }
  return AAI_EXIT_OK;
}

}  // namespace llm
