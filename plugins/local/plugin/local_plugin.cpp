// The `local` plugin: the `local` environment, `aai local serve`, and a pre-request hook that
// starts the emulator when a request goes to it and nothing is listening.
#include <aai/manifest.h>
#include <aai/plugin.hpp>

#include <chrono>
#include <filesystem>
#include <system_error>

#include "common/local_paths.hpp"
#include "plugin/local_port.hpp"
#include "plugin/server_launcher.hpp"

namespace {

constexpr auto kStartWait = std::chrono::seconds(10);
constexpr const char* kAutoStartIdleTimeout = "600";

std::filesystem::path require_data_dir() {
  auto data_dir = aai::local::default_data_dir();
  if (!data_dir) {
    throw aai::Error(AAI_EXIT_FAILURE, "local_emulator_error",
                     "Neither XDG_DATA_HOME nor HOME is an absolute path, so the local emulator "
                     "has no data folder.",
                     "Set HOME, or start the emulator yourself with `aai local serve --data-dir "
                     "DIR`.");
  }
  std::error_code error;
  std::filesystem::create_directories(*data_dir, error);
  if (error) {
    throw aai::Error(AAI_EXIT_FAILURE, "local_emulator_error",
                     "Could not create the local emulator's data folder " + data_dir->string() +
                         ": " + error.message() + ".");
  }
  return *data_dir;
}

int run_serve(const aai::Host&, const aai::Invocation& invocation) {
  std::string port;
  if (auto given = invocation.option("port")) {
    port = *given;
  } else {
    port = std::to_string(aai::local::configured_port());
  }
  std::vector<std::string> arguments = {"--port", port};
  for (const char* name : {"api-key", "accounts", "data-dir", "idle-timeout", "faults",
                           "faults-seed", "tls-cert", "tls-key", "workers"}) {
    if (auto value = invocation.option(name)) {
      arguments.insert(arguments.end(), {std::string("--") + name, *value});
    }
  }
  aai::local::exec_server(arguments);
}

void start_when_needed(const aai::Host& host, const aai::RequestEditor& editor) {
  auto api_base = host.environment_field("api_base", "local");
  if (!api_base) {
    return;
  }
  auto port = aai::local::port_if_same_origin(editor.url(), *api_base);
  if (!port) {
    return;
  }
  aai::local::configured_port();
  if (aai::local::accepts_connections(*port, std::chrono::milliseconds(200))) {
    return;
  }
  std::filesystem::path data_dir = require_data_dir();
  std::filesystem::path log_file = data_dir / "server.log";
  aai::local::start_server_in_background(
      {"--port", std::to_string(*port), "--data-dir", data_dir.string(), "--idle-timeout",
       kAutoStartIdleTimeout},
      *port, log_file, kStartWait);
  host.note("Started the local emulator on http://127.0.0.1:" + std::to_string(*port) +
            " (it stops after 10 idle minutes; log: " + log_file.string() + ").");
}

aai::Command serve_command() {
  return {"local serve",
          "Run the offline emulator of the AssemblyAI API on 127.0.0.1",
          "Runs aai-local-server in the foreground until Ctrl-C. It emulates the transcript API "
          "and transcribes with CMU PocketSphinx (en-us), not AssemblyAI's models. It also stands "
          "in for Stytch and the account service, so `aai login` works offline with made-up "
          "accounts, and for the LLM Gateway with an extractive responder that quotes the input "
          "instead of a language model. Use it with `--env local`.",
          {aai::integer("port", "PORT",
                        "TCP port on 127.0.0.1; 0 picks a free one (default "
                        "AAI_LOCAL_PORT or 8765)"),
           aai::text("api-key", "KEY",
                     "accept this API key and the accounts' token keys, nothing else (default: "
                     "accept any non-empty key)"),
           aai::text("accounts", "FILE",
                     "JSON file of identities, organizations, projects and tokens for `aai login`; "
                     "replaces the saved accounts and accepts only their keys"),
           aai::text("data-dir", "DIR",
                     "folder for uploads and transcripts (default $XDG_DATA_HOME/aai/local)"),
           aai::integer("idle-timeout", "SECONDS",
                        "exit after this many seconds without requests; 0 never (default 0)"),
           aai::text("faults", "SPEC",
                     "inject faults for testing: comma-separated [METHOD ]PATH=RULE with RULE "
                     "STATUSxCOUNT, STATUS@P%, reset@P% or delay:MS, or transcripts=error@P%, as "
                     "in /v2/upload=reset@5%,GET /v2/transcript/=503@10%"),
           aai::integer("faults-seed", "N",
                        "seed of the random choices of --faults, to repeat a run (default: "
                        "random, logged at start)"),
           aai::text("tls-cert", "FILE",
                     "PEM certificate chain; with --tls-key, serve HTTPS and WSS instead of HTTP "
                     "and WS"),
           aai::text("tls-key", "FILE", "PEM private key of the --tls-cert certificate"),
           aai::integer("workers", "N",
                        "transcripts recognised at once, each with its own recogniser (default 1, "
                        "at most the number of cores or 8)")},
          {},
          &run_serve};
}

void register_local(aai::Registrar& registrar) {
  registrar.add_environment(
      "local", "aai's offline emulator on 127.0.0.1 (PocketSphinx, not AssemblyAI's models)",
      aai::local::local_environment_fields(aai::local::port_for_registration()));
  registrar.add(serve_command());
  registrar.add_pre_request_hook(&start_when_needed);
}

}  // namespace

AAI_DEFINE_PLUGIN("local", "0.1.0", "Offline emulator of the AssemblyAI API and its environment",
                  register_local)

AAI_PLUGIN_MANIFEST(
    R"({"manifest": 1, "name": "local", "version": "0.1.0", "abi": ")" AAI_MANIFEST_ABI R"(",
  "summary": "Offline emulator of the AssemblyAI API and its environment",
  "commands": ["local serve"], "needs": ["network"],
  "summaries": {
    "local serve": "Run the offline emulator of the AssemblyAI API on 127.0.0.1"}})");
