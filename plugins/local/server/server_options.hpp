// Command-line options of aai-local-server.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "server/fault_injection.hpp"

namespace aai::local {

constexpr uint16_t kDefaultPort = 8765;

struct ServerOptions {
  /// TCP port on 127.0.0.1; 0 lets the system pick a free one.
  uint16_t port = kDefaultPort;

  /// An Authorization value always accepted. Giving it (or `accounts_file`) turns on strict
  /// mode, where only it and the accounts' token keys are accepted; otherwise any non-empty
  /// value is.
  std::optional<std::string> api_key;

  /// Accounts data that replaces the saved accounts at start.
  std::optional<std::filesystem::path> accounts_file;

  std::filesystem::path data_dir;

  /// Seconds without requests after which the server exits; 0 means never.
  int64_t idle_timeout_seconds = 0;

  /// Requests to fail on purpose, from --faults.
  std::vector<FaultRule> faults;

  /// Seed of the random choices of --faults; without --faults-seed a random one is picked.
  std::optional<uint64_t> faults_seed;

  /// PEM certificate chain and private key; with them the server speaks HTTPS and WSS.
  std::optional<std::filesystem::path> tls_cert;
  std::optional<std::filesystem::path> tls_key;

  /// Threads that recognise queued transcripts at once, each with its own recogniser.
  unsigned workers = 1;

  bool show_help = false;
  std::string help_text;
};

/// A bad command line; the message names the option and the value.
class OptionsError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Parses the command line; throws OptionsError on unknown options or bad values.
ServerOptions parse_server_options(int argc, const char* const argv[]);

/// Largest --workers value: the number of cores, at most 8.
unsigned max_workers();

}  // namespace aai::local
