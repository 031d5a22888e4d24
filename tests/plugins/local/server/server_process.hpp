// Runs aai-local-server for a test on a free port of 127.0.0.1 and talks HTTP to it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace aai::local::testing {

struct HttpResult {
  unsigned status = 0;
  std::string content_type;
  std::string body;
  /// The Location header; empty when the response has none.
  std::string location;
};

using Headers = std::vector<std::pair<std::string, std::string>>;

/// Runs aai-local-server with `arguments` and returns its exit status and its stderr. The server
/// must exit on its own within `timeout`, else it is killed and the status is -1.
std::pair<int, std::string> run_server_to_exit(const std::vector<std::string>& arguments,
                                               std::chrono::seconds timeout);

/// A running server. Its stderr goes to a file the test can read.
class ServerProcess {
 public:
  /// Starts the server with `--port 0 --data-dir DATA_DIR` plus `extra_arguments`, and waits for
  /// its ready line; fails the test (throws std::runtime_error) when it does not print one.
  ServerProcess(const std::filesystem::path& data_dir,
                std::vector<std::string> extra_arguments = {});
  ~ServerProcess();

  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  uint16_t port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  /// Sends `signal_number` and returns the exit status; -1 when it did not exit in time.
  int stop(int signal_number);

  /// Waits up to `timeout` for the process to exit on its own; returns its exit status or -1.
  int wait_for_exit(std::chrono::milliseconds timeout);

  std::string log() const;

  /// Sends one request; `authorization` is omitted when empty.
  HttpResult request(const std::string& method, const std::string& target,
                     const std::string& body = {}, const std::string& authorization = "test-key");

  /// Sends one request with exactly `headers` besides Host.
  HttpResult send(const std::string& method, const std::string& target, const std::string& body,
                  const Headers& headers);

 private:
  pid_t pid_ = -1;
  uint16_t port_ = 0;
  std::filesystem::path log_file_;
};

}  // namespace aai::local::testing
