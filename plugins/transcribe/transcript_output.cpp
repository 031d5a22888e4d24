#include "transcript_output.hpp"

#include "output_file.hpp"
#include "transcript_render.hpp"

namespace transcribe {
namespace {

std::string without_trailing_newlines(std::string text) {
  text.erase(text.find_last_not_of("\r\n") + 1);
  return text;
}

// The transcript's field as a string, or null when it is missing or not a string.
nlohmann::ordered_json string_or_null(const nlohmann::json& transcript, const char* key) {
  auto found = transcript.find(key);
  if (found == transcript.end() || !found->is_string()) {
    return nullptr;
  }
  return found->get<std::string>();
}

}  // namespace

std::vector<aai::Option> output_options() {
  return {aai::choice(
              "output", "text|id|status|utterances|srt|vtt|json",
              "What to print: the text, one field, speaker lines, captions or the full JSON", 'o'),
          aai::integer("chars-per-caption", "N", "Maximum characters per caption (srt and vtt)"),
          aai::text("out", "FILE", "Save the result to FILE instead of printing it")};
}

OutputChoice read_output_choice(const aai::Host& host, const aai::Invocation& invocation) {
  OutputChoice choice;
  std::optional<std::string> output = invocation.option("output");
  if (host.is_json() && output && *output != "json") {
    throw aai::usage_error("--json cannot be combined with -o " + *output + ".",
                           "Drop --json to print " + *output + ", or use -o json.");
  }
  choice.format = output ? *output : (host.is_json() ? "json" : "human");

  if (auto chars = invocation.option("chars-per-caption")) {
    if (choice.format != "srt" && choice.format != "vtt") {
      throw aai::usage_error("--chars-per-caption only applies to -o srt or -o vtt.",
                             "Add -o srt or -o vtt, or drop --chars-per-caption.");
    }
    choice.chars_per_caption = std::stoll(*chars);
    if (*choice.chars_per_caption < 1) {
      throw aai::usage_error("Invalid --chars-per-caption '" + *chars + "': it must be at least 1.",
                             "Pass a whole number of characters, such as 32.");
    }
  }
  if (auto out = invocation.option("out")) {
    check_output_path(*out);
    choice.out_path = out;
  }
  return choice;
}

void throw_if_failed(const nlohmann::json& transcript) {
  if (transcript.value("status", "") != "error") {
    return;
  }
  const std::string id = transcript.value("id", "");
  const std::string reason = transcript.contains("error") && transcript["error"].is_string()
                                 ? transcript["error"].get<std::string>()
                                 : std::string("no reason given");
  nlohmann::json details = {{"transcript_id", id}};
  throw aai::Error(AAI_EXIT_FAILURE, "api_error", "Transcript " + id + " failed: " + reason,
                   "Check that the audio is reachable and playable; `aai transcripts get " + id +
                       " --json` shows the full record.",
                   details.dump());
}

void deliver_transcript(const aai::Host& host, TranscriptApi& api, const nlohmann::json& transcript,
                        const OutputChoice& choice) {
  std::string content;
  if (choice.format == "srt" || choice.format == "vtt") {
    content = api.captions(transcript.value("id", ""), choice.format, choice.chars_per_caption);
  } else {
    content = render_field(transcript, choice.format);
  }
  if (!content.ends_with("\n")) {
    content += "\n";
  }

  if (choice.out_path) {
    write_file_atomically(*choice.out_path, content);
    host.note("Saved to " + *choice.out_path);
    return;
  }
  host.write(content);
}

std::string render_chain_text(const ChainResult& result) {
  if (result.steps.size() == 1) {
    return without_trailing_newlines(result.steps.front().output) + "\n";
  }
  std::string text;
  for (size_t index = 0; index < result.steps.size(); ++index) {
    const ChainStep& step = result.steps[index];
    text += (index == 0 ? "" : "\n") + std::string("Step ") + std::to_string(index + 1) + ": " +
            step.prompt + "\n" + without_trailing_newlines(step.output) + "\n";
  }
  return text;
}

nlohmann::ordered_json chain_json(const nlohmann::json& transcript, const ChainResult& result) {
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  for (const auto& step : result.steps) {
    steps.push_back({{"prompt", step.prompt}, {"output", step.output}});
  }
  return {{"id", string_or_null(transcript, "id")},
          {"status", string_or_null(transcript, "status")},
          {"text", string_or_null(transcript, "text")},
          {"transform", {{"model", result.model}, {"steps", std::move(steps)}}}};
}

}  // namespace transcribe
