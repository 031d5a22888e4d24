#include "transcript_api.hpp"

#include <utility>

namespace transcribe {
namespace {

std::string suggestion_for(int status) {
  if (status == 404) {
    return "Check the transcript id; `aai transcripts list` shows recent ones.";
  }
  if (status == 429) {
    return "Wait a minute and run the command again; the account hit its rate limit.";
  }
  if (status >= 500) {
    return "The service had a problem; run the command again in a minute.";
  }
  return "Check the options you passed; the message above names what the service rejected.";
}

// Asks the host to resend the request after the connection dropped once it was sent, which is
// safe for uploads (a new upload_url) and GETs.
void resend_after_drop(aai::HttpRequest& request) {
  request.retry_dropped = true;
}

}  // namespace

int http_status_of(const aai::Error& error) {
  nlohmann::json details = nlohmann::json::parse(error.details_json(), nullptr, false);
  if (details.is_object() && details.contains("http_status") &&
      details["http_status"].is_number_integer()) {
    return details["http_status"].get<int>();
  }
  return 0;
}

aai::Error api_error_from(int status, const std::string& body, const std::string& what) {
  std::string service_message;
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
  if (!parsed.is_discarded() && parsed.is_object() && parsed.contains("error") &&
      parsed["error"].is_string()) {
    service_message = parsed["error"].get<std::string>();
  } else {
    // Proxies and gateways return HTML error pages, and 200 characters identify one.
    service_message = body.substr(0, 200);
  }
  std::string message = what + " failed with HTTP " + std::to_string(status);
  message += service_message.empty() ? "." : ": " + service_message;
  nlohmann::json details = {{"http_status", status}};
  return aai::Error(AAI_EXIT_FAILURE, "api_error", message, suggestion_for(status), details.dump());
}

TranscriptApi::TranscriptApi(const aai::Host& host, std::string api_base)
    : host_(host), api_base_(std::move(api_base)) {}

aai::HttpResponse TranscriptApi::send(aai::HttpRequest request, const std::string& what) {
  host_.info(request.method + " " + request.url);
  aai::HttpResponse response = host_.send(request);
  if (response.status < 200 || response.status >= 300) {
    throw api_error_from(response.status, response.body, what);
  }
  return response;
}

nlohmann::json TranscriptApi::send_json(aai::HttpRequest request, const std::string& what) {
  aai::HttpResponse response = send(std::move(request), what);
  nlohmann::json parsed = nlohmann::json::parse(response.body, nullptr, false);
  if (parsed.is_discarded()) {
    throw aai::Error(
        AAI_EXIT_FAILURE, "api_error",
        what + " returned a body that is not JSON (HTTP " + std::to_string(response.status) + ").",
        "Check that --env points at an AssemblyAI API; `aai env show` prints it.");
  }
  return parsed;
}

std::string TranscriptApi::upload(const std::string& path, uint64_t size) {
  aai::HttpRequest request;
  request.method = "POST";
  request.url = api_base_ + "/v2/upload";
  request.headers = {{"Content-Type", "application/octet-stream"}};
  request.body_file = path;
  // A dropped upload is sent again from the start of the file, as in a batch.
  request.max_retries = kBatchRetries;
  resend_after_drop(request);
  request.on_progress = [this](uint64_t sent, uint64_t total) {
    host_.progress("Uploading", sent, total);
  };
  host_.progress("Uploading", 0, size);
  nlohmann::json uploaded = send_json(std::move(request), "Uploading " + path);
  host_.clear_progress();
  if (!uploaded.contains("upload_url") || !uploaded["upload_url"].is_string()) {
    throw aai::Error(AAI_EXIT_FAILURE, "api_error",
                     "The upload response has no upload_url: " + uploaded.dump(),
                     "Run the command again; report it if it keeps failing.");
  }
  return uploaded["upload_url"].get<std::string>();
}

std::string TranscriptApi::upload_from_any_thread(const std::string& path) {
  aai::HttpRequest request;
  request.method = "POST";
  request.url = api_base_ + "/v2/upload";
  request.headers = {{"Content-Type", "application/octet-stream"}};
  request.body_file = path;
  request.max_retries = kBatchRetries;
  resend_after_drop(request);
  nlohmann::json uploaded = send_json(std::move(request), "Uploading " + path);
  if (!uploaded.contains("upload_url") || !uploaded["upload_url"].is_string()) {
    throw aai::Error(AAI_EXIT_FAILURE, "api_error",
                     "The upload response has no upload_url: " + uploaded.dump(),
                     "Run the command again; report it if it keeps failing.");
  }
  return uploaded["upload_url"].get<std::string>();
}

nlohmann::json TranscriptApi::create(const nlohmann::json& params, uint32_t max_retries) {
  aai::HttpRequest request;
  request.max_retries = max_retries;
  request.method = "POST";
  request.url = api_base_ + "/v2/transcript";
  request.headers = {{"Content-Type", "application/json"}};
  request.body = params.dump();
  return send_json(std::move(request), "Creating the transcript");
}

nlohmann::json TranscriptApi::get(const std::string& id, bool retry) {
  aai::HttpRequest request;
  if (retry) {
    request.max_retries = kBatchRetries;
    resend_after_drop(request);
  }
  request.url = api_base_ + "/v2/transcript/" + id;
  return send_json(std::move(request), "Fetching transcript " + id);
}

std::string TranscriptApi::captions(const std::string& id, const std::string& format,
                                    std::optional<long long> chars_per_caption) {
  aai::HttpRequest request;
  request.url = api_base_ + "/v2/transcript/" + id + "/" + format;
  if (chars_per_caption) {
    request.url += "?chars_per_caption=" + std::to_string(*chars_per_caption);
  }
  return send(std::move(request), "Fetching " + format + " captions of " + id).body;
}

nlohmann::json TranscriptApi::list(long long limit) {
  aai::HttpRequest request;
  request.url = api_base_ + "/v2/transcript?limit=" + std::to_string(limit);
  nlohmann::json page = send_json(std::move(request), "Listing transcripts");
  return page.value("transcripts", nlohmann::json::array());
}

nlohmann::json TranscriptApi::list_page(long long limit, const std::string& before_id) {
  aai::HttpRequest request;
  request.max_retries = kBatchRetries;
  resend_after_drop(request);
  request.url = api_base_ + "/v2/transcript?limit=" + std::to_string(limit);
  if (!before_id.empty()) {
    request.url += "&before_id=" + before_id;
  }
  return send_json(std::move(request), "Listing transcripts");
}

nlohmann::json TranscriptApi::remove(const std::string& id) {
  aai::HttpRequest request;
  request.method = "DELETE";
  request.url = api_base_ + "/v2/transcript/" + id;
  return send_json(std::move(request), "Deleting transcript " + id);
}

}  // namespace transcribe
