// The one-shot HTTP server on 127.0.0.1 that receives the browser's redirect at the end of a
// sign-in.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace auth_stytch {

/// The one-time token a valid sign-in callback carries.
struct CallbackResult {
  std::string token;
  /// The `stytch_token_type` parameter, which is "discovery_oauth" in every result.
  std::string token_type;
};

/// A listener on 127.0.0.1 that serves one request at a time until a valid `GET /callback`
/// arrives. Requests that are not a valid callback get an error response, and the server keeps
/// listening. The listening socket closes once a valid callback is served, and on destruction.
class LoginCallbackServer {
 public:
  /// Binds 127.0.0.1:port at once, and port 0 picks a free port. With `expected_state`, only a
  /// callback whose `state` parameter equals it is valid. Throws aai::Error port_unavailable (exit
  /// 1) when the port cannot be bound.
  explicit LoginCallbackServer(uint16_t port, std::optional<std::string> expected_state);
  ~LoginCallbackServer();

  LoginCallbackServer(const LoginCallbackServer&) = delete;
  LoginCallbackServer& operator=(const LoginCallbackServer&) = delete;

  /// The bound port.
  uint16_t port() const;

  /// The URL the login provider redirects to: "http://127.0.0.1:PORT/callback", plus
  /// "?state=STATE" (percent-encoded) when a state is expected.
  std::string redirect_url() const;

  /// Sets the function that receives one line for each request that is not a valid callback
  /// and for each connection closed without a response. The lines name the method, path and
  /// status but never the query, which may contain a token. Without it nothing is logged.
  void set_log(std::function<void(const std::string& line)> log);

  /// Serves requests until a valid callback arrives (returns it), `deadline` passes (returns
  /// nullopt) or `interrupted` returns true (throws aai::Error interrupted, exit 130).
  /// `interrupted` is called at least every 200 ms. After a callback has been returned, later
  /// calls return the same result at once.
  std::optional<CallbackResult> wait(std::chrono::steady_clock::time_point deadline,
                                     const std::function<bool()>& interrupted);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace auth_stytch
