#include "transcripts_commands.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "llm_chain.hpp"
#include "transcript_api.hpp"
#include "transcript_output.hpp"

namespace transcribe {
namespace {

std::string string_or_empty(const nlohmann::json& object, const char* key) {
  auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : "";
}

std::string render_list_table(const nlohmann::json& transcripts) {
  std::vector<std::array<std::string, 3>> rows = {{"ID", "STATUS", "CREATED (UTC)"}};
  for (const auto& item : transcripts) {
    rows.push_back({string_or_empty(item, "id"), string_or_empty(item, "status"),
                    string_or_empty(item, "created")});
  }
  std::array<size_t, 2> widths{};
  for (const auto& row : rows) {
    widths[0] = std::max(widths[0], row[0].size());
    widths[1] = std::max(widths[1], row[1].size());
  }
  std::string table;
  for (const auto& row : rows) {
    table += row[0] + std::string(widths[0] - row[0].size() + 2, ' ') + row[1] +
             std::string(widths[1] - row[1].size() + 2, ' ') + row[2] + "\n";
  }
  return table;
}

TranscriptApi api_for(const aai::Host& host) {
  return TranscriptApi(host, host.require_environment_field("api_base"));
}

std::string single_id(const aai::Invocation& invocation) {
  const std::string id = invocation.arguments().at(0);
  check_transcript_id(id);
  return id;
}

int run_list(const aai::Host& host, const aai::Invocation& invocation) {
  const std::string limit_text = invocation.option("limit").value_or("10");
  const long long limit = std::stoll(limit_text);
  if (limit < 1) {
    throw aai::usage_error("Invalid --limit '" + limit_text + "': it must be at least 1.",
                           "Pass how many transcripts to list, such as --limit 20.");
  }
  TranscriptApi api = api_for(host);
  nlohmann::json transcripts = api.list(limit);
  host.write(host.is_json() ? transcripts.dump() + "\n" : render_list_table(transcripts));
  return AAI_EXIT_OK;
}

// The chain reads the transcript's text on the gateway, which needs a completed transcript.
void check_completed_for_chain(const nlohmann::json& transcript, const std::string& id) {
  const std::string status = string_or_empty(transcript, "status");
  if (status == "completed") {
    return;
  }
  nlohmann::json details = {{"transcript_id", id}};
  throw aai::Error(
      AAI_EXIT_FAILURE, "api_error",
      "Transcript " + id + " is not completed (status: " + status +
          "), so --llm cannot ask about it yet.",
      "Run the command again once `aai transcripts get " + id + " -o status` prints completed.",
      details.dump());
}

int run_get(const aai::Host& host, const aai::Invocation& invocation) {
  const std::string id = single_id(invocation);
  const std::optional<LlmChain> chain = read_llm_chain(host, invocation);
  const OutputChoice choice = read_output_choice(host, invocation);
  if (chain) {
    host.require_environment_field("llm_gateway_base");
  }
  TranscriptApi api = api_for(host);
  nlohmann::json transcript = api.get(id);
  throw_if_failed(transcript);

  if (chain) {
    check_completed_for_chain(transcript, id);
    answer_with_llm(host, *chain, transcript);
    return AAI_EXIT_OK;
  }
  const std::string status = string_or_empty(transcript, "status");
  const bool needs_result =
      choice.format != "id" && choice.format != "status" && choice.format != "json";
  if (needs_result && status != "completed") {
    throw aai::Error(AAI_EXIT_USAGE, "transcript_not_ready",
                     "Transcript " + id + " is not ready yet (status: " + status + ").",
                     "Run the command again later; `-o status` prints the status alone.");
  }
  deliver_transcript(host, api, transcript, choice);
  return AAI_EXIT_OK;
}

int run_delete(const aai::Host& host, const aai::Invocation& invocation) {
  const std::string id = single_id(invocation);
  TranscriptApi api = api_for(host);
  nlohmann::json deleted = api.remove(id);
  host.write(host.is_json() ? deleted.dump() + "\n" : "Deleted transcript " + id + ".\n");
  return AAI_EXIT_OK;
}

}  // namespace

void check_transcript_id(const std::string& id) {
  const bool valid = !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
  if (!valid) {
    throw aai::usage_error(
        "Invalid transcript id '" + id + "': use only letters, digits, '_' and '-'.",
        "Copy the id from `aai transcripts list`.");
  }
}

aai::Command transcripts_list_command() {
  return {"transcripts list",
          "List recent transcripts",
          "Prints id, status and creation time, newest first. With --json, prints the service's "
          "transcript items as a JSON array.",
          {aai::with_default(aai::integer("limit", "N", "How many transcripts to list"), "10")},
          {},
          &run_list};
}

aai::Command transcripts_get_command() {
  std::vector<aai::Option> options = output_options();
  for (auto& option : llm_options()) {
    options.push_back(std::move(option));
  }
  return {"transcripts get",
          "Fetch a past transcript by id and print it",
          "Fetches once and does not wait for a transcript that is still processing. With --llm, "
          "prints the LLM Gateway's answers about a completed transcript instead.",
          std::move(options),
          {{"ID", "Transcript id", true, false}},
          &run_get};
}

aai::Command transcripts_delete_command() {
  return {"transcripts delete",
          "Delete a transcript's text and audio from the service",
          "With --json, prints the service's response object.",
          {},
          {{"ID", "Transcript id", true, false}},
          &run_delete};
}

}  // namespace transcribe
