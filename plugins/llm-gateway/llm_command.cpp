#include "llm_command.hpp"

#include <aai_llm/gateway.hpp>

#include <limits>
#include <regex>
#include <string>
#include <vector>

#include <unistd.h>

#include "answer_printer.hpp"
#include "content_sources.hpp"
#include "extra_fields.hpp"
#include "follow_mode.hpp"

namespace llm {
namespace {

// The checked command line, read before any input or request.
struct Settings {
  std::optional<std::string> prompt;
  std::vector<std::string> files;
  std::optional<std::string> transcript_id;
  bool json = false;
  bool text_output = false;
  bool follow = false;
  aai::llm::ChatRequest request;
};

std::vector<aai::Option> llm_options() {
  return {
      aai::text("model", "MODEL",
                std::string("Model id; default ") + aai::llm::kDefaultModel +
                    " (--list-models prints the known ids)"),
      aai::text("transcript-id", "ID",
                "Answer over this transcript, which the gateway inserts for you"),
      aai::text("system", "TEXT", "System message sent before the prompt"),
      aai::integer("max-tokens", "N", "Maximum tokens in the answer (at least 1; default 8192)"),
      aai::number("temperature", "T", "Sampling temperature, from 0 to 2"),
      aai::repeated(aai::text("config", "KEY=VALUE",
                              "Extra request field; VALUE is read as JSON, else as a string")),
      aai::choice("output", "text|json", "Print the answer as text or as JSON", 'o'),
      aai::flag("list-models", "Print the known model ids and exit"),
      aai::flag("follow", "Answer again each time new lines arrive on standard input", 'f'),
  };
}

void check_transcript_id(const std::string& id) {
  static const std::regex kPattern("^[A-Za-z0-9_-]+$");
  if (!std::regex_match(id, kPattern)) {
    throw aai::usage_error(
        "Invalid --transcript-id '" + id + "': use only letters, digits, '_' and '-'.",
        "Copy the id from `aai transcripts list`.");
  }
}

void read_number_options(const aai::Invocation& invocation, aai::llm::ChatRequest& request) {
  if (auto model = invocation.option("model")) {
    request.model = *model;
  }
  if (auto max_tokens = invocation.option("max-tokens")) {
    const long long value = std::stoll(*max_tokens);
    if (value < 1) {
      throw aai::usage_error("Invalid --max-tokens '" + *max_tokens + "': it must be at least 1.",
                             "Pass a whole number of tokens, such as 1024.");
    }
    if (value > std::numeric_limits<int>::max()) {
      throw aai::usage_error("Invalid --max-tokens '" + *max_tokens + "': it must be at most " +
                                 std::to_string(std::numeric_limits<int>::max()) + ".",
                             "Pass a whole number of tokens, such as 1024.");
    }
    request.max_tokens = static_cast<int>(value);
  }
  if (auto temperature = invocation.option("temperature")) {
    const double value = std::stod(*temperature);
    if (!(value >= 0.0 && value <= 2.0)) {
      throw aai::usage_error(
          "Invalid --temperature '" + *temperature + "': it must be between 0 and 2.",
          "Pass a number such as 0.2 for focused answers or 1.0 for varied ones.");
    }
    request.temperature = value;
  }
}

void check_follow(const aai::Host& host, const Settings& settings) {
  if (settings.transcript_id) {
    throw aai::usage_error("--follow cannot be combined with --transcript-id.",
                           "Drop --follow to ask about the transcript once.");
  }
  if (!settings.files.empty()) {
    throw aai::usage_error("--follow cannot be combined with files.",
                           "Pipe the text into aai llm --follow instead.");
  }
  if (settings.text_output) {
    throw aai::usage_error("--follow cannot be combined with -o text.",
                           "Drop -o text, or use --json for one JSON line per answer.");
  }
  if (host.is_terminal(STDIN_FILENO)) {
    throw aai::usage_error("--follow reads standard input, which is a terminal.",
                           "Pipe text into it, such as `tail -f notes.txt | aai llm -f PROMPT`.");
  }
}

Settings read_settings(const aai::Host& host, const aai::Invocation& invocation) {
  Settings settings;
  std::vector<std::string> arguments = invocation.arguments();
  if (!arguments.empty()) {
    settings.prompt = arguments.front();
    settings.files.assign(arguments.begin() + 1, arguments.end());
  }

  const std::optional<std::string> output = invocation.option("output");
  if (host.is_json() && output == "text") {
    throw aai::usage_error("--json cannot be combined with -o text.",
                           "Drop --json to print text, or use -o json.");
  }
  settings.json = host.is_json() || output == "json";
  settings.text_output = output == "text";
  settings.follow = invocation.flag("follow");

  settings.transcript_id = invocation.option("transcript-id");
  if (settings.transcript_id) {
    check_transcript_id(*settings.transcript_id);
  }
  read_number_options(invocation, settings.request);
  settings.request.system = invocation.option("system");
  settings.request.extra = parse_extra_fields(invocation.options("config"));

  if (!settings.prompt) {
    throw aai::usage_error("aai llm needs a PROMPT.",
                           "Run `aai llm \"Summarize this.\" notes.txt`, or `aai llm "
                           "--list-models` to see the models.");
  }
  if (settings.follow) {
    check_follow(host, settings);
  }
  return settings;
}

int list_models(const aai::Host& host, bool json) {
  const std::vector<std::string>& models = aai::llm::known_models();
  if (json) {
    host.write(json_line(models));
    return AAI_EXIT_OK;
  }
  std::string text;
  for (const std::string& model : models) {
    text += model + "\n";
  }
  host.write(text);
  return AAI_EXIT_OK;
}

}  // namespace

aai::Command llm_command() {
  return {"llm",
          "Send a prompt to AssemblyAI's LLM Gateway and print the answer",
          "The prompt goes with one source of content, in this order of priority: "
          "--transcript-id, FILES (folders are searched for .md and .txt files), piped standard "
          "input, or nothing. On a terminal, answers of models that stream (gpt-*) print as they "
          "arrive. Exit codes: 0 done, 1 gateway failure, 2 bad input, 4 no or rejected API key, "
          "130 interrupted.",
          llm_options(),
          {{"PROMPT", "What to ask", false, false},
           {"FILES", "Text files or folders to send with the prompt", false, true}},
          &run_llm};
}

int run_llm(const aai::Host& host, const aai::Invocation& invocation) {
  if (invocation.flag("list-models")) {
    return list_models(host, host.is_json() || invocation.option("output") == "json");
  }
  Settings settings = read_settings(host, invocation);
  if (settings.follow) {
    return run_follow(host, settings.request, *settings.prompt, settings.json);
  }

  Content content = choose_content(host, *settings.prompt, settings.transcript_id, settings.files);
  settings.request.user = std::move(content.user);
  settings.request.transcript_id = std::move(content.transcript_id);

  const bool live = !settings.json && host.is_terminal(STDOUT_FILENO);
  const Answer answer = ask(host, settings.request, live);
  if (settings.json) {
    host.write(json_line({{"model", answer.result.model},
                          {"output", answer.result.output},
                          {"usage", answer.result.usage}}));
  } else {
    print_text_answer(host, answer);
  }
  return AAI_EXIT_OK;
}

}  // namespace llm
