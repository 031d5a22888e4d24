#include "host/net/cpprest_http_transport.hpp"

#include <algorithm>
#include <cctype>
#include <mutex>
#include <system_error>
#include <vector>

#include <openssl/ssl.h>

#include <cpprest/containerstream.h>
#include <cpprest/filestream.h>
#include <pplx/threadpool.h>

#include "host/net/task_waiter.hpp"
#include "host/net/transport_errors.hpp"

namespace aai::host {
namespace {

namespace http = web::http;

// Size of each read from the response body stream, and so the largest on_body piece.
constexpr size_t kResponseChunkSize = 64 * 1024;

// Threads of cpprestsdk's shared pool, which runs the sockets' I/O and the task continuations.
// Its default is 40, while a command keeps at most a few requests in flight and waits for them on
// its own thread; each idle thread still costs start-up time and a stack.
constexpr size_t kIoThreads = 4;

web::uri parse_url(const std::string& url) {
  web::uri parsed;
  try {
    parsed = web::uri(url);
  } catch (const web::uri_exception&) {
    throw TransportError(TransportError::Kind::kInvalidUrl,
                         "Invalid URL \"" + url + "\": it is not a valid URI.");
  }
  if ((parsed.scheme() != "http" && parsed.scheme() != "https") || parsed.host().empty()) {
    throw TransportError(TransportError::Kind::kInvalidUrl,
                         "Invalid URL \"" + url + "\": expected http:// or https:// and a host.");
  }
  return parsed;
}

// Opens the file as a cpprestsdk stream, which http_client reads one chunk at a time while
// sending, and returns its size for Content-Length. `kept` receives the stream, so that the
// sending thread, not a pool thread, drops the last reference (see CpprestHttpTransport::send).
uint64_t attach_file_body(http::http_request& message, const TransportRequest& request,
                          concurrency::streams::istream& kept) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(request.body_file, error)) {
    const std::string reason =
        error ? error.message()
              : (std::filesystem::exists(request.body_file, error) ? "not a regular file"
                                                                   : "No such file or directory");
    throw make_file_unreadable_error(request.body_file, request.url, reason);
  }
  const uint64_t size = std::filesystem::file_size(request.body_file, error);
  if (error) {
    throw make_file_unreadable_error(request.body_file, request.url, error.message());
  }
  concurrency::streams::istream stream;
  try {
    stream =
        concurrency::streams::file_stream<uint8_t>::open_istream(request.body_file.string()).get();
  } catch (const std::system_error& open_error) {
    throw make_file_unreadable_error(request.body_file, request.url, open_error.code().message());
  }
  message.set_body(stream, size);
  kept = stream;
  return size;
}

// Returns the body size, which is also the total passed to on_progress.
uint64_t attach_body(http::http_request& message, const TransportRequest& request,
                     concurrency::streams::istream& kept_file) {
  if (!request.body_file.empty()) {
    return attach_file_body(message, request, kept_file);
  }
  if (request.body.empty()) {
    return 0;
  }
  // The body goes in as a byte vector because cpprestsdk would pass a string's char stream
  // buffer on as a uint8_t one, which UndefinedBehaviorSanitizer reports. The copy is as large
  // as the body.
  std::vector<uint8_t> bytes(request.body.begin(), request.body.end());
  message.set_body(concurrency::streams::bytestream::open_istream(std::move(bytes)),
                   request.body.size());
  return request.body.size();
}

std::string to_lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

http::http_request build_message(const TransportRequest& request, const web::uri& url,
                                 uint64_t& body_size, concurrency::streams::istream& kept_file) {
  http::http_request message(request.method);
  message.set_request_uri(url.resource());
  body_size = attach_body(message, request, kept_file);

  // set_body() adds a default Content-Type, which a caller's own value replaces.
  for (const auto& [name, value] : request.headers) {
    if (to_lower(name) == "content-type") {
      message.headers().remove(http::header_names::content_type);
    }
  }
  for (const auto& [name, value] : request.headers) {
    message.headers().add(name, value);
  }
  return message;
}

// cpprestsdk merges repeated response headers into one comma-separated value, so each name
// appears once here.
HeaderList lower_case_headers(const http::http_headers& headers) {
  HeaderList result;
  for (const auto& [name, value] : headers) {
    result.emplace_back(to_lower(name), value);
  }
  return result;
}

void read_body(const http::http_response& response, const TransportRequest& request,
               TaskWaiter& waiter, TransportResponse& result) {
  auto body = response.body().streambuf();
  const bool streams =
      request.on_body && (!request.streams_body || request.streams_body(response.status_code()));
  std::vector<uint8_t> chunk(kResponseChunkSize);
  for (;;) {
    // cpprestsdk's getn waits until it can return all it was asked for, so a streamed body would
    // arrive in 64 KiB lumps. Asking for what is already there, or else for one byte, passes
    // each piece on as it arrives.
    const size_t ready = static_cast<size_t>(std::max<std::streamsize>(body.in_avail(), 0));
    const size_t wanted = streams ? std::clamp<size_t>(ready, 1, chunk.size()) : chunk.size();
    const size_t size = waiter.wait(body.getn(chunk.data(), wanted));
    if (size == 0) {
      return;
    }
    const auto* data = reinterpret_cast<const char*>(chunk.data());
    if (!streams) {
      result.body.append(data, size);
    } else if (!request.on_body(data, size)) {
      waiter.cancel();
      throw make_cancelled_error(request.url);
    }
  }
}

}  // namespace

CpprestHttpTransport::CpprestHttpTransport() {
  // The pool can be sized only before its first use. If other code in the process has already
  // started it (a plugin may use cpprestsdk directly), that pool is kept as it is.
  static std::once_flag sized;
  std::call_once(sized, [] {
    // Exit handlers run in reverse order, so starting OpenSSL first makes its cleanup run after
    // the pool has joined its threads. Otherwise the pool threads' OpenSSL state leaks at exit.
    OPENSSL_init_ssl(0, nullptr);
    try {
      crossplat::threadpool::initialize_with_threads(kIoThreads);
    } catch (const std::exception&) {
    }
  });
}

TransportResponse CpprestHttpTransport::send(const TransportRequest& request) {
  const web::uri url = parse_url(request.url);
  uint64_t body_size = 0;
  // A file stream's last owner closes the file and waits for that on its own thread. When the
  // last owner was a pool thread, a batch of uploads could block every pool thread that way,
  // with nothing left to run the closes. This thread keeps a reference and closes the file
  // itself, whichever way send ends.
  concurrency::streams::istream file_body;
  struct FileCloser {
    concurrency::streams::istream& stream;
    ~FileCloser() {
      if (stream.is_valid()) {
        try {
          stream.close().wait();
        } catch (const std::exception&) {
        }
      }
    }
  } closer{file_body};
  http::http_request message = build_message(request, url, body_size, file_body);

  TaskWaiter waiter(request, body_size);
  auto uploaded_bytes = waiter.uploaded_bytes();
  message.set_progress_handler(
      [uploaded_bytes](http::message_direction::direction direction, utility::size64_t bytes) {
        if (direction == http::message_direction::upload) {
          uploaded_bytes->store(bytes);
        }
      });
  waiter.throw_if_cancelled();

  auto& client = client_for(url, request);
  const http::http_response response = waiter.wait(client.request(message, waiter.token()));
  waiter.report_upload_complete();

  TransportResponse result;
  result.status = response.status_code();
  result.headers = lower_case_headers(response.headers());
  read_body(response, request, waiter, result);
  return result;
}

http::client::http_client& CpprestHttpTransport::client_for(const web::uri& url,
                                                            const TransportRequest& request) {
  std::lock_guard lock(clients_mutex_);
  const web::uri origin = url.authority();
  const std::chrono::milliseconds timeout = effective_read_timeout(request);
  std::string key = origin.to_string() + " " + std::to_string(timeout.count()) + " " +
                    request.ca_file.string() + " " + request.ca_dir.string();
  if (request.proxy) {
    // The password is part of the key so that changed credentials get a new connection.
    key +=
        " " + request.proxy->url() + " " + request.proxy->username + ":" + request.proxy->password;
  }
  auto found = clients_.find(key);
  if (found != clients_.end()) {
    return *found->second;
  }

  http::client::http_client_config config;
  // cpprestsdk applies this timeout to each send and receive step, not to the whole exchange,
  // so a long upload that keeps moving never times out. NOTE: it also bounds the connection,
  // because cpprestsdk 2.10 has no separate connect timeout, so request.connect_timeout is not
  // applied here.
  config.set_timeout(timeout);
  // The request pipeline follows redirects itself, so that it can decide which headers go on.
  config.set_max_redirects(0);
  config.set_validate_certificates(true);
  if (request.proxy) {
    web::web_proxy proxy{web::uri(request.proxy->url())};
    if (!request.proxy->username.empty()) {
      // cpprestsdk sends these as Basic Proxy-Authorization, on the CONNECT request for https.
      proxy.set_credentials(web::credentials(request.proxy->username, request.proxy->password));
    }
    config.set_proxy(std::move(proxy));
  }
  if (!request.ca_file.empty() || !request.ca_dir.empty()) {
    config.set_ssl_context_callback(
        [ca_file = request.ca_file, ca_dir = request.ca_dir](boost::asio::ssl::context& context) {
          if (!ca_file.empty()) {
            context.load_verify_file(ca_file.string());
          }
          if (!ca_dir.empty()) {
            context.add_verify_path(ca_dir.string());
          }
        });
  }
  auto client = std::make_unique<http::client::http_client>(origin, config);
  auto& result = *client;
  clients_.emplace(key, std::move(client));
  return result;
}

}  // namespace aai::host
