#include "http_service.hpp"

#include "application.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <optional>

namespace aai::host {

namespace {

// A plugin asking for more retries than this gets this many: past it, a user waits minutes for
// a request that keeps failing.
constexpr uint32_t kMostRetries = 10;

// A response and the data it points into; aai_http_response_t::host_data points here.
struct ResponseBox {
  aai_http_response_t raw{};
  TransportResponse data;
};

Application& app_of(const aai_host_t* host) {
  return *static_cast<PluginHost*>(host->host_data)->application;
}

// The last failed send on this thread: plugins may send from several threads at once, and each
// reads the error of its own send.
std::optional<CliError>& last_http_error() {
  thread_local std::optional<CliError> error;
  return error;
}

TransportRequest to_transport_request(const aai_http_request_t& request) {
  TransportRequest converted;
  converted.method = request.method != nullptr ? request.method : "GET";
  converted.url = request.url != nullptr ? request.url : "";
  for (uint32_t i = 0; i < request.header_count; ++i) {
    const aai_field_t& header = request.headers[i];
    if (header.name != nullptr && header.value != nullptr) {
      converted.headers.emplace_back(header.name, header.value);
    }
  }
  if (request.body_file != nullptr) {
    converted.body_file = request.body_file;
  } else if (request.body != nullptr) {
    converted.body.assign(request.body, request.body_size);
  }
  if (request.timeout_ms != 0) {
    converted.timeout = std::chrono::milliseconds(request.timeout_ms);
  }
  if (request.on_body != nullptr) {
    converted.on_body = [callback = request.on_body, context = request.on_body_context](
                            const char* data, size_t size) {
      return callback(context, data, size) == AAI_STATUS_OK;
    };
  }
  if (request.on_progress != nullptr) {
    converted.on_progress = [callback = request.on_progress, context = request.on_progress_context](
                                uint64_t sent, uint64_t total) { callback(context, sent, total); };
  }
  return converted;
}

// Fields added in ABI 1.3 are read only from plugins whose struct has them.
SendOptions send_options(const aai_http_request_t& request) {
  SendOptions options;
  if (request.struct_size >= offsetof(aai_http_request_t, max_retries) + sizeof(uint32_t)) {
    options.keep_unauthorized = (request.flags & AAI_HTTP_KEEP_UNAUTHORIZED) != 0;
    options.stream_success_only = (request.flags & AAI_HTTP_STREAM_SUCCESS_ONLY) != 0;
    options.max_retries = std::min<uint32_t>(request.max_retries, kMostRetries);
    options.retry_dropped = (request.flags & AAI_HTTP_RETRY_DROPPED) != 0;
  }
  return options;
}

aai_status_t http_send(const aai_host_t* host, const aai_http_request_t* request,
                       aai_http_response_t** response) {
  if (response != nullptr) {
    *response = nullptr;
  }
  Application& app = app_of(host);
  last_http_error().reset();
  try {
    if (request == nullptr || response == nullptr || (request->body && request->body_file)) {
      throw CliError(1, "internal_error", "Invalid HTTP request from a plugin.",
                     "Report this to the plugin's authors.");
    }
    auto box = std::make_unique<ResponseBox>();
    box->data = app.http().send(to_transport_request(*request), send_options(*request));
    box->raw.struct_size = sizeof box->raw;
    box->raw.status = box->data.status;
    box->raw.body = box->data.body.c_str();
    box->raw.body_size = box->data.body.size();
    box->raw.host_data = box.get();
    *response = &box.release()->raw;
    return AAI_STATUS_OK;
  } catch (const CliError& error) {
    last_http_error() = error;
  } catch (const std::exception& error) {
    last_http_error() = CliError(1, "internal_error", error.what());
  }
  return AAI_STATUS_ERROR;
}

const char* http_header(const aai_http_response_t* response, const char* name) {
  if (response == nullptr || name == nullptr) {
    return nullptr;
  }
  const auto* box = static_cast<const ResponseBox*>(response->host_data);
  for (const auto& [header, value] : box->data.headers) {
    if (header.size() == std::strlen(name) &&
        std::equal(header.begin(), header.end(), name, [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return value.c_str();
    }
  }
  return nullptr;
}

void http_release(const aai_host_t*, aai_http_response_t* response) {
  if (response != nullptr) {
    delete static_cast<ResponseBox*>(response->host_data);
  }
}

void http_last_error(const aai_host_t*, int32_t* exit_code, const char** type, const char** message,
                     const char** suggestion) {
  const auto& error = last_http_error();
  if (exit_code != nullptr) {
    *exit_code = error ? error->exit_code() : 0;
  }
  if (type != nullptr) {
    *type = error ? error->type().c_str() : nullptr;
  }
  if (message != nullptr) {
    *message = error ? error->what() : nullptr;
  }
  if (suggestion != nullptr) {
    *suggestion = error && !error->suggestion().empty() ? error->suggestion().c_str() : nullptr;
  }
}

const aai_http_service_t kHttpService = {sizeof(aai_http_service_t), &http_send, &http_header,
                                         &http_release, &http_last_error};

}  // namespace

const aai_http_service_t& http_service_table() {
  return kHttpService;
}

}  // namespace aai::host
