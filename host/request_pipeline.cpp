#include "request_pipeline.hpp"

#include "environment_field.hpp"
#include "retry_policy.hpp"
#include "url_origin.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <optional>
#include <random>
#include <sstream>
#include <string_view>
#include <thread>

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

bool is_sensitive_parameter(const std::string& name) {
  std::string lower = to_lower(name);
  return lower == "token" || lower == "key" || lower == "apikey" || lower.ends_with("_token") ||
         lower.ends_with("_key");
}

void put_header(HeaderList& headers, const std::string& name, const std::string& value) {
  std::string lower = to_lower(name);
  std::erase_if(headers, [&](const auto& header) { return to_lower(header.first) == lower; });
  headers.emplace_back(name, value);
}

// A fraction in [0, 1) that spreads the retries of many clients apart.
double jitter() {
  thread_local std::mt19937 generator{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
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

WebSocketTransportFactory default_websocket_transport_factory() {
  return []() -> std::unique_ptr<WebSocketTransport> {
#ifdef AAI_HAVE_NET_LOADER
    std::error_code error;
    auto executable = std::filesystem::read_symlink("/proc/self/exe", error);
    return load_websocket_transport(executable.parent_path().parent_path() / "lib" / "aai");
#else
    throw std::runtime_error("this build of aai has no network library");
#endif
  };
}

RequestPipeline::RequestPipeline(RequestContext& context, const std::vector<RequestHook>& hooks,
                                 LogSink& log, TransportFactory make_transport,
                                 WebSocketTransportFactory make_websocket_transport)
    : context_(context),
      hooks_(hooks),
      log_(log),
      make_transport_(std::move(make_transport)),
      make_websocket_transport_(std::move(make_websocket_transport)) {}

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
  log_.write(kLogSource, AAI_LOG_DEBUG, "> " + request.method + " " + redact_url(request.url));
  for (const auto& [name, value] : request.headers) {
    log_.write(kLogSource, AAI_LOG_DEBUG,
               "> " + name + ": " + (is_sensitive_header(name) ? "[redacted]" : value));
  }
}

namespace {

CliError network_library_error(const std::exception& error) {
  return CliError(1, "internal_error",
                  std::string("Could not load the network library: ") + error.what(),
                  "Reinstall aai; lib/aai/libaai-net.so must sit next to the bin folder.");
}

}  // namespace

HttpTransport& RequestPipeline::transport() {
  std::lock_guard lock(transport_mutex_);
  if (!transport_) {
    try {
      transport_ = make_transport_();
    } catch (const std::exception& error) {
      throw network_library_error(error);
    }
  }
  return *transport_;
}

WebSocketTransport& RequestPipeline::websocket_transport() {
  if (!websocket_transport_) {
    try {
      websocket_transport_ = make_websocket_transport_();
    } catch (const std::exception& error) {
      throw network_library_error(error);
    }
  }
  return *websocket_transport_;
}

void RequestPipeline::set_websocket_transport_factory(WebSocketTransportFactory factory) {
  make_websocket_transport_ = std::move(factory);
  websocket_transport_.reset();
}

bool RequestPipeline::apply_hooks(TransportRequest& request, bool anonymous) {
  std::lock_guard lock(hooks_mutex_);
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
  const Provider* provider = anonymous ? nullptr : context_.credential_provider();
  if (provider != nullptr && provider->pre_request != nullptr) {
    run_hook(provider->host, provider->plugin_name, provider->context, provider->pre_request,
             state);
  }
  return state.carries_credential;
}

TransportResponse RequestPipeline::send(TransportRequest request, const SendOptions& options) {
  if (!parse_origin(request.url) || request.url.rfind("ws", 0) == 0) {
    throw CliError(
        1, "invalid_url",
        "Invalid request URL '" + request.url + "': expected an absolute http or https URL.",
        "Check the environment's endpoints with `aai env list`.");
  }
  if (context_.is_interrupted()) {
    throw CliError(130, "interrupted", "Interrupted.");
  }

  bool carries_credential = apply_hooks(request, false);
  log_request(request);

  request.is_cancelled = [this] { return context_.is_interrupted(); };
  unsigned retry = 0;
  if (request.on_body && (options.stream_success_only || options.max_retries > 0)) {
    // A body the caller never asked for, or one that a retry replaces, stays out of on_body.
    request.streams_body = [&options, &retry](int status) {
      if (options.stream_success_only && (status < 200 || status > 299)) {
        return false;
      }
      return !(is_retryable_status(status) && retry < options.max_retries);
    };
  }

  TransportResponse response;
  for (;; ++retry) {
    try {
      response = send_once(request);
    } catch (const TransportError& error) {
      const bool repeatable =
          error.kind() == TransportError::Kind::kConnectionFailed ||
          (options.retry_dropped && error.kind() == TransportError::Kind::kTimedOut);
      if (!repeatable || retry >= options.max_retries) {
        throw map_transport_error(error, request.url);
      }
      wait_before_retry(request, error.what(), retry_delay(retry, std::nullopt, jitter()), retry,
                        options.max_retries);
      continue;
    }
    if (!is_retryable_status(response.status) || retry >= options.max_retries) {
      break;
    }
    std::optional<std::chrono::milliseconds> retry_after;
    for (const auto& [name, value] : response.headers) {
      if (name == "retry-after") {
        retry_after = parse_retry_after(value);
      }
    }
    wait_before_retry(request, "HTTP " + std::to_string(response.status),
                      retry_delay(retry, retry_after, jitter()), retry, options.max_retries);
  }

  if (response.status == 401 && carries_credential && !options.keep_unauthorized) {
    throw rejected_key_error();
  }
  return response;
}

TransportResponse RequestPipeline::send_once(const TransportRequest& request) {
  auto started = std::chrono::steady_clock::now();
  TransportResponse response = transport().send(request);
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  log_.write(kLogSource, AAI_LOG_DEBUG,
             "< " + std::to_string(response.status) + " " + request.method + " " +
                 redact_url(request.url) + " (" + std::to_string(elapsed.count()) + " ms)");
  return response;
}

void RequestPipeline::wait_before_retry(const TransportRequest& request, const std::string& why,
                                        std::chrono::milliseconds delay, unsigned retry,
                                        unsigned max_retries) {
  std::ostringstream seconds;
  seconds << std::fixed << std::setprecision(1) << static_cast<double>(delay.count()) / 1000.0;
  log_.write(kLogSource, AAI_LOG_INFO,
             request.method + " " + redact_url(request.url) + " got " + why + "; retry " +
                 std::to_string(retry + 1) + " of " + std::to_string(max_retries) + " in " +
                 seconds.str() + " s.");
  const auto until = std::chrono::steady_clock::now() + delay;
  while (std::chrono::steady_clock::now() < until) {
    if (context_.is_interrupted()) {
      throw CliError(130, "interrupted", "Interrupted.");
    }
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
        std::chrono::milliseconds(50), until - std::chrono::steady_clock::now()));
  }
}

CliError rejected_key_error() {
  return CliError(4, "not_authenticated", "Your API key was rejected.",
                  "Check the key, or run `aai login` to get a new one.");
}

std::string redact_url(const std::string& url) {
  size_t query_start = url.find('?');
  if (query_start == std::string::npos) {
    return url;
  }
  size_t query_end = std::min(url.find('#', query_start), url.size());
  std::string redacted = url.substr(0, query_start + 1);
  size_t at = query_start + 1;
  while (at <= query_end) {
    size_t end = std::min(url.find('&', at), query_end);
    std::string parameter = url.substr(at, end - at);
    size_t equals = parameter.find('=');
    if (equals != std::string::npos && is_sensitive_parameter(parameter.substr(0, equals))) {
      parameter = parameter.substr(0, equals + 1) + "[redacted]";
    }
    redacted += parameter + (end < query_end ? "&" : "");
    at = end + 1;
  }
  return redacted + url.substr(query_end);
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
