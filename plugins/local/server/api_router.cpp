#include "server/api_router.hpp"

#include <regex>

#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>

#include "server/gateway_errors.hpp"
#include "server/query_string.hpp"
#include "server/server_log.hpp"
#include "server/transcript_exports.hpp"
#include "server/transcript_list.hpp"
#include "server/transcript_params.hpp"

namespace aai::local {

namespace {

const std::regex kTranscriptPath("/v2/transcript/([^/]+)");
const std::regex kTranscriptViewPath("/v2/transcript/([^/]+)/([^/]+)");
const std::regex kOwnUploadUrl(
    "https?://(127\\.0\\.0\\.1|localhost)(:[0-9]+)?/v2/upload/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-"
    "[0-9a-f]{4}-[0-9a-f]{12})");

std::string new_id() {
  static thread_local boost::uuids::random_generator generator;
  return boost::uuids::to_string(generator());
}

ApiResponse emulator_info() {
  return json_response(
      200, {{"name", "aai-local-server"},
            {"description",
             "aai's offline emulator of the AssemblyAI transcript API. It transcribes with a real "
             "recogniser, CMU PocketSphinx with its en-us model, which is not one of AssemblyAI's "
             "models, so accuracy and formatting differ from the service."},
            {"recogniser", "CMU PocketSphinx (en-us)"},
            {"llm_gateway",
             "POST /v1/chat/completions has no language model either: it answers by quoting the "
             "sentences of the input that best match the prompt."},
            {"unsupported_features",
             "Options such as summarization, sentiment_analysis, entity_detection, "
             "auto_highlights, content_safety and iab_categories are accepted, and their result "
             "fields stay null. speaker_labels labels every word as speaker A."}});
}

bool is_english(const nlohmann::json& language_code) {
  if (!language_code.is_string()) {
    return true;
  }
  std::string code = language_code.get<std::string>();
  return code == "en" || code.rfind("en_", 0) == 0;
}

}  // namespace

ApiRouter::ApiRouter(TranscriptStore& store, TranscriptionWorker& worker, const ApiKeys& keys,
                     LoginRoutes& login_routes, FaultInjector& faults)
    : store_(store),
      worker_(worker),
      keys_(keys),
      login_routes_(login_routes),
      faults_(faults),
      gateway_routes_(store, keys, faults) {}

bool ApiRouter::is_authorized(const std::string& authorization) const {
  return keys_.accepts(authorization);
}

bool ApiRouter::is_upload(const std::string& method, const std::string& target) {
  return method == "POST" && parse_target(target).path == "/v2/upload";
}

std::pair<std::string, std::filesystem::path> ApiRouter::new_upload() const {
  std::string id = new_id();
  return {id, store_.uploads_dir() / id};
}

ApiResponse ApiRouter::finish_upload(const std::string& upload_id,
                                     const std::filesystem::path& file, uint64_t size) const {
  if (size == 0) {
    std::error_code ignored;
    std::filesystem::remove(file, ignored);
    return error_response(400, "The upload is empty. Send the audio file's bytes as the body.");
  }
  ++uploads_;
  return json_response(200, {{"upload_url", base_url_ + "/v2/upload/" + upload_id}});
}

ApiResponse ApiRouter::handle(const ApiRequest& request) {
  try {
    return route(request);
  } catch (const std::exception& error) {
    const std::string path = parse_target(request.target).path;
    log_line(request.method + " " + path + " failed: " + error.what());
    const std::string message = std::string("Internal Server Error: ") + error.what();
    return is_gateway_path(path) ? gateway_error(500, message) : error_response(500, message);
  }
}

ApiResponse ApiRouter::route(const ApiRequest& request) {
  RequestTarget target = parse_target(request.target);
  if (target.path == "/" && request.method == "GET") {
    return emulator_info();
  }
  if (target.path == kStatsPath && request.method == "GET") {
    return stats();
  }
  if (LoginRoutes::handles(target.path)) {
    return login_routes_.handle(request);
  }
  if (is_gateway_path(target.path)) {
    return gateway_routes_.handle(request);
  }
  if (!is_authorized(request.authorization)) {
    return error_response(401, kAuthenticationError);
  }
  if (auto fault = faults_.take(request.method, target.path)) {
    return *fault;
  }
  if (target.path == "/v3/token") {
    if (request.method != "GET") {
      return error_response(405, "Method " + request.method + " is not allowed on /v3/token.");
    }
    return streaming_tokens_.handle_request(target);
  }
  if (target.path == "/v2/transcript") {
    if (request.method == "POST") {
      return create_transcript(request.body);
    }
    if (request.method == "GET") {
      return list_transcripts(store_, base_url_, request.target, target.query);
    }
    return error_response(405, "Method " + request.method + " is not allowed on /v2/transcript.");
  }

  std::smatch match;
  if (std::regex_match(target.path, match, kTranscriptPath)) {
    if (request.method != "GET" && request.method != "DELETE") {
      return error_response(405,
                            "Method " + request.method + " is not allowed on " + target.path + ".");
    }
    if (request.method == "DELETE") {
      return delete_transcript(match[1]);
    }
    auto record = store_.find(match[1]);
    return record ? json_response(200, record->transcript)
                  : error_response(404, "Transcript not found");
  }
  if (request.method == "GET" && std::regex_match(target.path, match, kTranscriptViewPath)) {
    auto record = store_.find(match[1]);
    if (!record) {
      return error_response(404, "Transcript not found");
    }
    if (auto response = export_transcript(*record, match[2], target.query)) {
      return *response;
    }
  }
  return error_response(404, "Not found");
}

ApiResponse ApiRouter::create_transcript(const std::string& body) {
  nlohmann::json params = nlohmann::json::parse(body, nullptr, false);
  if (params.is_discarded()) {
    return error_response(400, "The request body is not valid JSON.");
  }
  if (auto problem = validate_transcript_params(params)) {
    return error_response(400, *problem);
  }
  std::string audio_file;
  std::string problem = intake_error(params, audio_file);
  if (problem.empty() && faults_.fail_transcript()) {
    problem = kInjectedTranscriptError;
    audio_file.clear();
  }
  TranscriptRecord record = store_.create(new_transcript(new_id(), params), audio_file, problem);
  ++transcripts_created_;
  worker_.enqueue(record.id());
  return json_response(200, record.transcript);
}

std::string ApiRouter::intake_error(const nlohmann::json& params, std::string& audio_file) const {
  std::string audio_url = params["audio_url"].get<std::string>();
  std::smatch match;
  if (!std::regex_match(audio_url, match, kOwnUploadUrl)) {
    return "The local emulator only transcribes files uploaded to it with POST /v2/upload, and "
           "it never downloads " +
           audio_url + ". Upload the file first and pass the upload_url it returns.";
  }
  std::filesystem::path file = store_.uploads_dir() / match[3].str();
  if (!std::filesystem::is_regular_file(file)) {
    return "The upload " + audio_url +
           " is not in this emulator's data folder. Upload the file again.";
  }
  if (!is_english(params.value("language_code", nlohmann::json()))) {
    return "The local emulator recognises English only, so language_code " +
           params["language_code"].dump() + " is not supported.";
  }
  audio_file = file.string();
  return {};
}

ApiResponse ApiRouter::stats() const {
  nlohmann::json faults = nlohmann::json::object();
  for (const auto& [kind, count] : faults_.counts()) {
    faults[kind] = count;
  }
  return json_response(200, {{"transcripts_created", transcripts_created_.load()},
                             {"uploads", uploads_.load()},
                             {"faults", faults}});
}

ApiResponse ApiRouter::delete_transcript(const std::string& id) {
  auto record = store_.find(id);
  if (!record) {
    return error_response(404, "Transcript not found");
  }
  std::string status = record->status();
  if (status != "completed" && status != "error") {
    return error_response(400, "Transcript " + id + " is still " + status +
                                   ", and only completed or failed transcripts can be deleted.");
  }
  if (!record->audio_file.empty()) {
    std::error_code ignored;
    std::filesystem::remove(record->audio_file, ignored);
    record->audio_file.clear();
  }
  record->transcript = deleted_transcript(std::move(record->transcript));
  store_.save(*record);
  return json_response(200, record->transcript);
}

}  // namespace aai::local
