// HttpTransport built on cpprestsdk's http_client (its Boost.Asio backend on Linux).
#pragma once

#include "host/net/exported_interface.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <cpprest/http_client.h>

namespace aai::host {

/// Sends requests with cpprestsdk and keeps one http_client, with its connection pool, per
/// origin, timeout, proxy and CA files, so repeated requests to one service reuse connections.
///
/// Redirects are never followed here: the client is configured with max_redirects 0, so a 3xx
/// reaches the request pipeline, which decides what follows it. The proxy comes with each
/// request (TransportRequest::proxy); cpprestsdk's own reading of http_proxy is not used.
class CpprestHttpTransport final : public HttpTransport {
 public:
  CpprestHttpTransport();
  ~CpprestHttpTransport() override = default;
  CpprestHttpTransport(const CpprestHttpTransport&) = delete;
  CpprestHttpTransport& operator=(const CpprestHttpTransport&) = delete;

  TransportResponse send(const TransportRequest& request) override;

 private:
  web::http::client::http_client& client_for(const web::uri& url, const TransportRequest& request);

  // One client per origin and timeout; http_client itself is safe to share between threads.
  std::mutex clients_mutex_;
  std::map<std::string, std::unique_ptr<web::http::client::http_client>> clients_;
};

}  // namespace aai::host
