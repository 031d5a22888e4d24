// aai-local-server: aai's offline emulator of the AssemblyAI transcript API and LLM Gateway on
// 127.0.0.1.
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <iostream>
#include <optional>
#include <random>

#include <aai_local/recognizer.hpp>

#include "server/account_store.hpp"
#include "server/accounts_file.hpp"
#include "server/api_keys.hpp"
#include "server/api_router.hpp"
#include "server/fault_injection.hpp"
#include "server/http_server.hpp"
#include "server/login_routes.hpp"
#include "server/login_sessions.hpp"
#include "server/server_log.hpp"
#include "server/server_options.hpp"
#include "server/tls_context.hpp"
#include "server/transcript_store.hpp"
#include "server/transcription_worker.hpp"

namespace {

// How long a stop waits for a running recognition before leaving it to the next start.
constexpr std::chrono::seconds kStopGrace{2};

// Logs where the accounts come from and which API keys are accepted, before the store loads.
void log_account_setup(const aai::local::ServerOptions& options) {
  std::filesystem::path saved = options.data_dir / "accounts.json";
  std::string source = "the built-in default";
  if (options.accounts_file) {
    source = options.accounts_file->string() + " (replacing " + saved.string() + ")";
  } else if (std::filesystem::exists(saved)) {
    source = saved.string();
  }
  bool strict = options.api_key || options.accounts_file;
  aai::local::log_line(
      "accounts from " + source + ", accepting " +
      (strict ? "only --api-key and the accounts' token keys" : "any non-empty API key"));
}

// Logs the --faults rules and the seed of their random choices, which repeats a run.
aai::local::FaultInjector make_fault_injector(const aai::local::ServerOptions& options) {
  uint64_t seed = 0;
  if (options.faults_seed) {
    seed = *options.faults_seed;
  } else {
    std::random_device device;
    seed = ((static_cast<uint64_t>(device()) << 32) | device()) & INT64_MAX;
  }
  for (const aai::local::FaultRule& rule : options.faults) {
    aai::local::log_line("--faults: " + aai::local::describe_fault_rule(rule));
  }
  if (!options.faults.empty()) {
    aai::local::log_line("--faults seed " + std::to_string(seed) +
                         (options.faults_seed ? ""
                                              : " (random; pass --faults-seed " +
                                                    std::to_string(seed) + " to repeat)"));
  }
  return aai::local::FaultInjector(options.faults, seed);
}

int serve(const aai::local::ServerOptions& options, std::optional<nlohmann::json> accounts_seed,
          std::optional<boost::asio::ssl::context>& tls) {
  log_account_setup(options);
  aai::local::AccountStore accounts(options.data_dir, std::move(accounts_seed));
  aai::local::ApiKeys keys(accounts, options.api_key, options.accounts_file.has_value());
  aai::local::LoginSessions sessions;
  aai::local::LoginRoutes login_routes(accounts, sessions);
  aai::local::TranscriptStore store(options.data_dir);
  std::vector<std::string> pending = store.load();

  // The model takes a moment to load, so each worker thread loads its own recogniser on its
  // first transcript, not at start.
  aai::local::TranscriptionWorker worker(
      store,
      [](const std::filesystem::path& audio) {
        thread_local std::optional<aai::local::Recognizer> recognizer;
        if (!recognizer) {
          recognizer.emplace();
        }
        return recognizer->recognize_file(audio);
      },
      options.workers);
  aai::local::FaultInjector faults = make_fault_injector(options);
  aai::local::ApiRouter router(store, worker, keys, login_routes, faults);
  aai::local::HttpServer server(router, worker, options.port, options.idle_timeout_seconds,
                                tls.has_value() ? &*tls : nullptr);
  router.set_base_url(std::string(tls ? "https" : "http") +
                      "://127.0.0.1:" + std::to_string(server.port()));
  for (const std::string& id : pending) {
    worker.enqueue(id);
  }

  std::printf("listening on %s\n", router.base_url().c_str());
  std::fflush(stdout);
  std::string reason = server.run();
  if (isatty(STDERR_FILENO) != 0) {
    // Ends the terminal line that contains the echoed ^C.
    std::fputs("\n", stderr);
  }
  aai::local::log_line("stopping (" + reason + ")");
  if (!worker.stop(kStopGrace)) {
    aai::local::log_line(
        "a recognition was still running; its transcript is queued again on "
        "the next start");
    std::fflush(nullptr);
    _exit(0);
  }
  return 0;
}

}  // namespace

int main(int argc, char* argv[]) {
  aai::local::ServerOptions options;
  try {
    options = aai::local::parse_server_options(argc, argv);
  } catch (const aai::local::OptionsError& error) {
    std::cerr << "aai-local-server: error: " << error.what() << "\n"
              << "Run `aai-local-server --help` to see the options.\n";
    return 2;
  }
  if (options.show_help) {
    std::cout << options.help_text;
    return 0;
  }
  // A bad accounts file is a usage error, reported before anything is written.
  std::optional<nlohmann::json> accounts_seed;
  if (options.accounts_file) {
    try {
      accounts_seed = aai::local::read_accounts_file(*options.accounts_file);
    } catch (const aai::local::AccountsFileError& error) {
      std::cerr << "aai-local-server: error: " << error.what() << "\n";
      return 2;
    }
  }
  // A certificate or key that cannot be used is a usage error too.
  std::optional<boost::asio::ssl::context> tls;
  if (options.tls_cert) {
    try {
      tls.emplace(aai::local::make_tls_context(*options.tls_cert, *options.tls_key));
    } catch (const aai::local::TlsSetupError& error) {
      std::cerr << "aai-local-server: error: " << error.what() << "\n";
      return 2;
    }
  }
  try {
    return serve(options, std::move(accounts_seed), tls);
  } catch (const std::exception& error) {
    std::cerr << "aai-local-server: error: " << error.what() << "\n";
    return 1;
  }
}
