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
/// origin and timeout, so repeated requests to one service reuse connections.
///
/// Redirects are never followed: the client is configured with max_redirects 0, and
/// cpprestsdk's Boost.Asio backend (2.10) implements no redirect handling anyway, so a 3xx
/// reaches the caller as is and a credential header never travels to a host named in a
/// Location header. No proxy is used either, because that backend ignores http_proxy and
/// https_proxy.
class CpprestHttpTransport final : public HttpTransport {
 public:
  CpprestHttpTransport();
  ~CpprestHttpTransport() override = default;
  CpprestHttpTransport(const CpprestHttpTransport&) = delete;
  CpprestHttpTransport& operator=(const CpprestHttpTransport&) = delete;

  TransportResponse send(const TransportRequest& request) override;

 private:
  web::http::client::http_client& client_for(const web::uri& url,
                                             std::chrono::milliseconds timeout);

  // One client per origin and timeout; http_client itself is safe to share between threads.
  std::mutex clients_mutex_;
  std::map<std::string, std::unique_ptr<web::http::client::http_client>> clients_;
};

}  // namespace aai::host
