// A BrowserLauncher for login tests that plays the browser and the login provider: it sends the
// provider's redirect to the callback server itself, over a real loopback connection.
#pragma once

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "browser.hpp"

namespace auth_stytch::testing {

/// How the fake behaves, and what it saw; shared with the test, which outlives the launcher.
struct FakeBrowserScript {
  bool open_succeeds = true;
  /// What failed() returns, as if the browser command had exited with a failure.
  bool fails_after_start = false;
  /// Whether open() sends the redirect to the callback URL.
  bool sends_redirect = true;
  std::string token = "one-time-token-0001";
  std::string token_type = "discovery_oauth";

  std::vector<std::string> opened_urls;
  /// The redirect target the fake sent (path and query), and the HTTP status it got back.
  std::string redirect_target;
  int redirect_status = 0;
};

class FakeBrowser : public BrowserLauncher {
 public:
  explicit FakeBrowser(std::shared_ptr<FakeBrowserScript> script) : script_(std::move(script)) {}
  ~FakeBrowser() override;

  bool open(const std::string& url) override;
  bool failed() override { return script_->fails_after_start; }

 private:
  std::shared_ptr<FakeBrowserScript> script_;
  std::thread redirect_thread_;
};

/// Returns the value of query parameter `name` in `url`, percent-decoded; empty when absent.
std::string query_parameter(const std::string& url, const std::string& name);

/// Returns a TCP port on 127.0.0.1 that was free a moment ago.
uint16_t free_loopback_port();

}  // namespace auth_stytch::testing
