#include "request_pipeline.hpp"

#include "environment_field.hpp"
#include "url_origin.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <string_view>

namespace aai::host {

namespace {

constexpr std::string_view kLogSource = "aai";

std::string to_lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Header names whose values are masked in logs even when no plugin registered them as secrets.
bool is_sensitive_header(const std::string& name) {
  std::string lower = to_lower(name);
  return lower == "authorization" || lower == "proxy-authorization" || lower == "cookie" ||
         lower == "set-cookie" || lower.find("token") != std::string::npos ||
         lower.find("api-key") != std::string::npos;
}

void put_header(HeaderList& headers, const std::string& name, const std::string& value) {
  std::string lower = to_lower(name);
  std::erase_if(headers, [&](const auto& header) { return to_lower(header.first) == lower; });
  headers.emplace_back(name, value);
}

}  // namespace

/// The request as the pre-request hooks edit it, reached through aai_request_editor_t::host_data.
struct EditorState {
  TransportRequest* request = nullptr;
  LogSink* log = nullptr;
  bool is_environment_host = false;
  const std::string* environment_field = nullptr;
  bool carries_credential = false;
  std::optional<CliError> failure;
};

namespace {

EditorState& state_of(const aai_request_editor_t* editor) {
  return *static_cast<EditorState*>(editor->host_data);
}

void editor_set_header(const aai_request_editor_t* editor, const char* name, const char* value) {
  if (name == nullptr || value == nullptr) {
    return;
  }
  put_header(state_of(editor).request->headers, name, value);
}

aai_status_t editor_set_credential_header(const aai_request_editor_t* editor, const char* name,
                                          const char* value) {
  EditorState& state = state_of(editor);
  if (name == nullptr || value == nullptr || !state.is_environment_host) {
    state.log->write(kLogSource, AAI_LOG_DEBUG,
                     std::string("Did not attach credential header ") +
                         (name != nullptr ? name : "(null)") + " to " + state.request->url +
                         ": the URL is outside the active environment.");
    return AAI_STATUS_ERROR;
  }
  try {
    state.log->add_secret(value);
    put_header(state.request->headers, name, value);
    state.carries_credential = true;
    return AAI_STATUS_OK;
  } catch (const std::exception&) {
    return AAI_STATUS_ERROR;
  }
}

void editor_fail(const aai_request_editor_t* editor, int32_t exit_code, const char* type,
                 const char* message, const char* suggestion) {
  EditorState& state = state_of(editor);
  if (!state.failure) {
    state.failure.emplace(exit_code != 0 ? exit_code : 1, type != nullptr ? type : "api_error",
                          message != nullptr ? message : "The request was stopped.",
                          suggestion != nullptr ? suggestion : "");
  }
}

}  // namespace

RequestPipeline::RequestPipeline(RequestContext& context, const std::vector<RequestHook>& hooks,
                                 LogSink& log, TransportFactory make_transport)
    : context_(context), hooks_(hooks), log_(log), make_transport_(std::move(make_transport)) {}

bool RequestPipeline::is_environment_host(const std::string& url) {
  const Environment* environment = context_.active_environment();
  auto origin = parse_origin(url);
  if (environment == nullptr || !origin) {
    return false;
  }
  for (const auto& [name, value] : environment->fields) {
    if (name.size() > 5 && name.ends_with("_base") && parse_origin(value) == origin) {
      return true;
    }
  }
  return false;
}

void RequestPipeline::run_hook(const aai_host_t* host, const std::string& plugin_name,
                               void* hook_context, aai_pre_request_fn hook, EditorState& state) {
  aai_request_editor_t editor{};
  editor.struct_size = sizeof editor;
  editor.host_data = &state;
  editor.method = state.request->method.c_str();
  editor.url = state.request->url.c_str();
  editor.is_environment_host = state.is_environment_host;
  editor.set_header = &editor_set_header;
  editor.set_credential_header = &editor_set_credential_header;
  editor.fail = &editor_fail;
  editor.environment_field =
      state.environment_field != nullptr ? state.environment_field->c_str() : nullptr;

  aai_status_t status = hook(hook_context, host, &editor);
  if (state.failure) {
    throw *state.failure;
  }
  if (status != AAI_STATUS_OK) {
    throw CliError(1, "internal_error",
                   "The plugin '" + plugin_name + "' stopped the request to " + state.request->url +
                       " without saying why.",
                   "Run with -vv for details, or report this to the plugin's authors.");
  }
}

void RequestPipeline::log_request(const TransportRequest& request) {
  if (!log_.is_enabled(AAI_LOG_DEBUG)) {
    return;
  }
  log_.write(kLogSource, AAI_LOG_DEBUG, "> " + request.method + " " + request.url);
  for (const auto& [name, value] : request.headers) {
    log_.write(kLogSource, AAI_LOG_DEBUG,
               "> " + name + ": " + (is_sensitive_header(name) ? "[redacted]" : value));
  }
}

HttpTransport& RequestPipeline::transport() {
  if (!transport_) {
    try {
      transport_ = make_transport_();
    } catch (const std::exception& error) {
      throw CliError(1, "internal_error",
                     std::string("Could not load the network library: ") + error.what(),
                     "Reinstall aai; lib/aai/libaai-net.so must sit next to the bin folder.");
    }
  }
  return *transport_;
}

TransportResponse RequestPipeline::send(TransportRequest request) {
  if (!parse_origin(request.url) || request.url.rfind("ws", 0) == 0) {
    throw CliError(
        1, "invalid_url",
        "Invalid request URL '" + request.url + "': expected an absolute http or https URL.",
        "Check the environment's endpoints with `aai env list`.");
  }
  if (context_.is_interrupted()) {
    throw CliError(130, "interrupted", "Interrupted.");
  }

  EditorState state;
  state.request = &request;
  state.log = &log_;
  state.is_environment_host = is_environment_host(request.url);
  if (const Environment* environment = context_.active_environment()) {
    state.environment_field = match_environment_field(*environment, request.url);
  }
  for (const auto& hook : hooks_) {
    run_hook(hook.host, hook.plugin_name, hook.context, hook.run, state);
  }
  if (const Provider* provider = context_.credential_provider()) {
    if (provider->pre_request != nullptr) {
      run_hook(provider->host, provider->plugin_name, provider->context, provider->pre_request,
               state);
    }
  }
  log_request(request);

  request.is_cancelled = [this] { return context_.is_interrupted(); };
  auto started = std::chrono::steady_clock::now();
  TransportResponse response;
  try {
    response = transport().send(request);
  } catch (const TransportError& error) {
    throw map_transport_error(error, request.url);
  }
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  log_.write(kLogSource, AAI_LOG_DEBUG,
             "< " + std::to_string(response.status) + " " + request.method + " " + request.url +
                 " (" + std::to_string(elapsed.count()) + " ms)");

  if (response.status == 401 && state.carries_credential) {
    throw CliError(4, "not_authenticated", "Your API key was rejected.",
                   "Check the key, or run `aai login` to get a new one.");
  }
  return response;
}

CliError map_transport_error(const TransportError& error, const std::string& url) {
  std::string reason = error.what();
  while (!reason.empty() && (reason.back() == '.' || reason.back() == ' ')) {
    reason.pop_back();
  }
  auto origin = parse_origin(url);
  // The transport's reason may already name the URL; saying it twice makes the line hard to read.
  std::string failed_to_connect = reason.find(url) != std::string::npos
                                      ? reason + "."
                                      : "Could not connect to " + url + ": " + reason + ".";
  switch (error.kind()) {
    case TransportError::Kind::kCancelled:
      return CliError(130, "interrupted", "Interrupted.");
    case TransportError::Kind::kConnectionFailed:
      if (origin && is_loopback(*origin)) {
        return CliError(1, "api_error", failed_to_connect,
                        "Check that the local emulator is running on " + origin->host + ":" +
                            std::to_string(origin->port) + ".");
      }
      return CliError(1, "api_error", failed_to_connect,
                      "Check your network connection and try again.");
    case TransportError::Kind::kTimedOut:
      return CliError(1, "api_error", "The request to " + url + " timed out: " + reason + ".",
                      "Try again; the service or the network may be slow.");
    case TransportError::Kind::kInvalidUrl:
      return CliError(1, "invalid_url", "Invalid request URL '" + url + "': " + reason + ".");
    case TransportError::Kind::kFileUnreadable:
      return CliError(2, "file_not_found",
                      "Could not read the request body file for " + url + ": " + reason + ".",
                      "Check that the file exists and is readable.");
    case TransportError::Kind::kOther:
      break;
  }
  return CliError(1, "api_error", "The request to " + url + " failed: " + reason + ".");
}

}  // namespace aai::host
