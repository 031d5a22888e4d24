#include "request_pipeline.hpp"

#include "environment_field.hpp"
#include "retry_policy.hpp"
#include "url_origin.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <initializer_list>
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

const NetworkSettings& RequestContext::network_settings() {
  static const NetworkSettings defaults;
  return defaults;
}

bool is_idempotent_method(const std::string& method) {
  return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" ||
         method == "OPTIONS";
}

std::string resolve_redirect_location(const std::string& url, const std::string& location) {
  if (location.find("://") != std::string::npos) {
    return location;
  }
  const size_t scheme_end = url.find("://");
  if (location.starts_with("//")) {
    return url.substr(0, scheme_end + 1) + location;
  }
  const size_t path_start = url.find_first_of("/?#", scheme_end + 3);
  const std::string origin = url.substr(0, path_start);
  if (location.starts_with("/")) {
    return origin + location;
  }
  // A relative reference replaces the last segment of the path (RFC 3986, section 5.2.3).
  std::string path = path_start == std::string::npos ? "/" : url.substr(path_start);
  path = path.substr(0, path.find_first_of("?#"));
  if (path.empty() || path.front() != '/') {
    path = "/" + path;
  }
  if (location.starts_with("?")) {
    return origin + path + location;
  }
  return origin + path.substr(0, path.rfind('/') + 1) + location;
}

RequestPipeline::RequestPipeline(RequestContext& context, const std::vector<RequestHook>& hooks,
                                 LogSink& log, TransportFactory make_transport,
                                 WebSocketTransportFactory make_websocket_transport)
    : context_(context),
      hooks_(hooks),
      log_(log),
      make_transport_(std::move(make_transport)),
      make_websocket_transport_(std::move(make_websocket_transport)),
      retry_delay_([](unsigned retry, const std::optional<std::chrono::milliseconds>& after) {
        return retry_delay(retry, after, jitter());
      }) {}

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
  if (request.proxy) {
    // The proxy's credentials travel as Proxy-Authorization, added by the transport.
    log_.write(kLogSource, AAI_LOG_DEBUG, "> (through the proxy " + request.proxy->url() + ")");
    if (!request.proxy->username.empty()) {
      log_.write(kLogSource, AAI_LOG_DEBUG, "> Proxy-Authorization: [redacted]");
    }
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

namespace {

bool is_redirect_status(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

const std::string* find_header(const HeaderList& headers, const std::string& lower_name) {
  for (const auto& [name, value] : headers) {
    if (to_lower(name) == lower_name) {
      return &value;
    }
  }
  return nullptr;
}

void remove_headers(HeaderList& headers, std::initializer_list<std::string_view> lower_names) {
  std::erase_if(headers, [&](const auto& header) {
    const std::string name = to_lower(header.first);
    return std::find(lower_names.begin(), lower_names.end(), name) != lower_names.end();
  });
}

// Whether a failure of this kind may be followed by another send. No connection means the
// service never saw the request; a dropped connection or a read timeout means it may have.
bool may_retry_after(TransportError::Kind kind, bool repeatable) {
  switch (kind) {
    case TransportError::Kind::kConnectionFailed:
    case TransportError::Kind::kConnectTimedOut:
      return true;
    case TransportError::Kind::kConnectionDropped:
    case TransportError::Kind::kTimedOut:
      return repeatable;
    default:
      return false;
  }
}

}  // namespace

void RequestPipeline::apply_network_settings(TransportRequest& request) {
  const NetworkSettings& settings = context_.network_settings();
  if (request.timeout.count() == 0) {
    request.timeout = settings.read_timeout;
  }
  request.connect_timeout = settings.connect_timeout;
  request.proxy = proxy_for_url(settings, request.url);
  request.ca_file = settings.ca_file;
  request.ca_dir = settings.ca_dir;
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

  const NetworkSettings& settings = context_.network_settings();
  const bool idempotent = is_idempotent_method(request.method);
  const bool uses_default_retries = options.max_retries == 0 && idempotent;
  const unsigned max_retries = uses_default_retries ? settings.retries : options.max_retries;
  const bool repeatable = idempotent || options.retry_dropped;

  // The plugin's own headers, sent again without the hooks' ones after a cross-origin redirect.
  const HeaderList plugin_headers = request.headers;
  bool carries_credential = apply_hooks(request, false);
  apply_network_settings(request);
  log_request(request);

  request.is_cancelled = [this] { return context_.is_interrupted(); };
  unsigned retry = 0;
  unsigned redirects = 0;
  if (request.on_body) {
    // A body the caller never asked for, or one that a retry or a redirect replaces, stays out
    // of on_body.
    request.streams_body = [&options, &retry, &redirects, max_retries](int status) {
      if (options.stream_success_only && (status < 200 || status > 299)) {
        return false;
      }
      if (is_redirect_status(status) && redirects < kMaxRedirects) {
        return false;
      }
      return !(is_retryable_status(status) && retry < max_retries);
    };
  }

  for (;;) {
    TransportResponse response;
    try {
      response = send_once(request);
    } catch (const TransportError& error) {
      // A refused connection to this machine means nothing listens there (the emulator is not
      // running), which the default retries would only delay by many seconds.
      const auto origin = parse_origin(request.url);
      const bool local_refusal = error.kind() == TransportError::Kind::kConnectionFailed &&
                                 origin && is_loopback(*origin) && !request.proxy;
      if (!may_retry_after(error.kind(), repeatable) || retry >= max_retries ||
          (uses_default_retries && local_refusal)) {
        throw map_transport_error(error, request.url, request.proxy);
      }
      wait_before_retry(request, error.what(), retry_delay_(retry, std::nullopt), retry,
                        max_retries);
      ++retry;
      continue;
    }
    if (is_retryable_status(response.status) && retry < max_retries) {
      std::optional<std::chrono::milliseconds> retry_after;
      if (const std::string* value = find_header(response.headers, "retry-after")) {
        retry_after = parse_retry_after(*value);
      }
      wait_before_retry(request, "HTTP " + std::to_string(response.status),
                        retry_delay_(retry, retry_after), retry, max_retries);
      ++retry;
      continue;
    }
    const std::string* location = find_header(response.headers, "location");
    if (is_redirect_status(response.status) && location != nullptr) {
      if (redirects >= kMaxRedirects) {
        throw CliError(1, "api_error",
                       "The request to " + redact_url(request.url) + " was redirected more than " +
                           std::to_string(kMaxRedirects) + " times.",
                       "Check the environment's endpoints with `aai env list`; the service may "
                       "be misconfigured.");
      }
      ++redirects;
      carries_credential =
          follow_redirect(request, plugin_headers, response.status, *location, carries_credential);
      continue;
    }

    if (response.status == 401 && carries_credential && !options.keep_unauthorized) {
      throw rejected_key_error();
    }
    return response;
  }
}

bool RequestPipeline::follow_redirect(TransportRequest& request, const HeaderList& plugin_headers,
                                      int status, const std::string& location,
                                      bool carries_credential) {
  const std::string target = resolve_redirect_location(request.url, location);
  const auto from = parse_origin(request.url);
  const auto to = parse_origin(target);
  if (!to || (to->scheme != "http" && to->scheme != "https")) {
    throw CliError(1, "api_error",
                   "The request to " + redact_url(request.url) + " was redirected to '" +
                       redact_url(target) + "', which is not an http or https URL.",
                   "Check the environment's endpoints with `aai env list`.");
  }
  log_.write(kLogSource, AAI_LOG_INFO,
             request.method + " " + redact_url(request.url) + " got HTTP " +
                 std::to_string(status) + "; following the redirect to " + redact_url(target) +
                 ".");

  const bool becomes_get = status == 303 && request.method != "GET" && request.method != "HEAD";
  request.url = target;
  if (becomes_get) {
    request.method = "GET";
    request.body.clear();
    request.body_file.clear();
  }
  if (from != to) {
    // Another origin starts again from the plugin's headers, minus those that carry a
    // credential, and the hooks decide afresh whether the new host gets one.
    request.headers = plugin_headers;
    remove_headers(request.headers, {"authorization", "proxy-authorization", "cookie"});
    if (becomes_get) {
      remove_headers(request.headers, {"content-type", "content-length"});
    }
    carries_credential = apply_hooks(request, false);
    request.proxy = proxy_for_url(context_.network_settings(), request.url);
  } else if (becomes_get) {
    remove_headers(request.headers, {"content-type", "content-length"});
  }
  log_request(request);
  return carries_credential;
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
  const std::string when = std::to_string(retry + 1) + " of " + std::to_string(max_retries) +
                           " in " + seconds.str() + " s.";
  if (why.rfind("HTTP ", 0) == 0) {
    log_.write(kLogSource, AAI_LOG_INFO,
               request.method + " " + redact_url(request.url) + " got " + why + "; retry " + when);
  } else {
    // A transport failure is already a sentence that names the URL.
    std::string sentence = why;
    if (!sentence.empty() && sentence.back() != '.') {
      sentence += '.';
    }
    log_.write(kLogSource, AAI_LOG_INFO, sentence + " Retry " + when);
  }
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

CliError map_transport_error(const TransportError& error, const std::string& url,
                             const std::optional<ProxyServer>& proxy) {
  // A verification failure is the usual case: a server signed by a CA this machine lacks, or a
  // TLS-inspecting company proxy.
  static const std::string kTlsSuggestion =
      "If a company proxy or CA signs the server's certificate, point SSL_CERT_FILE at that CA's "
      "PEM file; see docs/network.md.";
  std::string reason = error.what();
  while (!reason.empty() && (reason.back() == '.' || reason.back() == ' ')) {
    reason.pop_back();
  }
  auto origin = parse_origin(url);
  // The transport's reason may already name the URL; saying it twice makes the line hard to read.
  const bool names_url = reason.find(url) != std::string::npos;
  std::string failed_to_connect =
      names_url ? reason + "." : "Could not connect to " + url + ": " + reason + ".";
  switch (error.kind()) {
    case TransportError::Kind::kCancelled:
      return CliError(130, "interrupted", "Interrupted.");
    case TransportError::Kind::kConnectionFailed:
      if (proxy) {
        return CliError(1, "api_error", failed_to_connect,
                        "Check that the proxy " + proxy->url() +
                            " is reachable, or list the host in NO_PROXY to connect directly.");
      }
      if (origin && is_loopback(*origin)) {
        return CliError(1, "api_error", failed_to_connect,
                        "Check that the local emulator is running on " + origin->host + ":" +
                            std::to_string(origin->port) + ".");
      }
      return CliError(1, "api_error", failed_to_connect,
                      "Check your network connection and try again.");
    case TransportError::Kind::kTlsFailed:
      return CliError(1, "api_error", failed_to_connect, kTlsSuggestion);
    case TransportError::Kind::kConnectTimedOut:
      return CliError(1, "api_error", failed_to_connect,
                      "Raise the connect timeout with AAI_CONNECT_TIMEOUT=SECONDS or `aai config "
                      "set network.connect_timeout SECONDS`, or check your network connection.");
    case TransportError::Kind::kConnectionDropped:
      return CliError(
          1, "api_error",
          names_url ? reason + "." : "The connection to " + url + " dropped: " + reason + ".",
          "Try again; the network or the service closed the connection.");
    case TransportError::Kind::kTimedOut:
      return CliError(
          1, "api_error",
          names_url ? reason + "." : "The request to " + url + " timed out: " + reason + ".",
          "Raise the read timeout with AAI_READ_TIMEOUT=SECONDS or `aai config set "
          "network.read_timeout SECONDS`, or try again later.");
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
