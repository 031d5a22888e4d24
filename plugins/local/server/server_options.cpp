#include "server/server_options.hpp"

#include <algorithm>
#include <climits>
#include <sstream>
#include <thread>

#include <boost/program_options.hpp>

#include "common/local_paths.hpp"

namespace aai::local {

namespace po = boost::program_options;

namespace {

int64_t parse_integer(const std::string& option, const std::string& text, int64_t minimum,
                      int64_t maximum) {
  size_t used = 0;
  int64_t value = 0;
  try {
    value = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || value < minimum || value > maximum) {
    throw OptionsError("--" + option + " must be an integer from " + std::to_string(minimum) +
                       " to " + std::to_string(maximum) + ", not \"" + text + "\".");
  }
  return value;
}

po::options_description describe_options() {
  po::options_description options("Options");
  options.add_options()("help,h", "show this help and exit")(
      "port", po::value<std::string>(),
      "TCP port on 127.0.0.1 to listen on; 0 picks a free port (default 8765)")(
      "api-key", po::value<std::string>(),
      "accept this Authorization value and the accounts' token keys, nothing else (default: "
      "accept any non-empty value)")(
      "accounts", po::value<std::string>(),
      "JSON file of identities, organizations, projects and tokens for sign-in; replaces the "
      "saved accounts and accepts only their keys (default: the saved or built-in accounts)")(
      "data-dir", po::value<std::string>(),
      "folder for uploads and transcripts (default $XDG_DATA_HOME/aai/local)")(
      "idle-timeout", po::value<std::string>(),
      "exit after this many seconds without requests; 0 never exits (default 0)")(
      "faults", po::value<std::string>(),
      "inject faults, for tests: comma-separated rules [METHOD ]PATH=RULE, where a request "
      "matches when its path starts with PATH (and its method is METHOD, if given). RULE is "
      "STATUSxCOUNT (the first COUNT requests get HTTP STATUS), STATUS@P% (each request gets "
      "HTTP STATUS with probability P percent, with Retry-After: 1), reset@P% (the connection "
      "is reset without an answer, after part of the body if there is one) or delay:MS (the "
      "answer comes MS milliseconds, 1 to 60000, later). transcripts=error@P% ends each new "
      "transcript in error with probability P. Example: "
      "/v2/upload=reset@5%,GET /v2/transcript/=503@10%,transcripts=error@2%")(
      "faults-seed", po::value<std::string>(),
      "seed of the random choices of --faults, to repeat a run (default: a random seed, "
      "logged at start)")(
      "tls-cert", po::value<std::string>(),
      "PEM certificate chain; with --tls-key, serve HTTPS and WSS instead of HTTP and WS")(
      "tls-key", po::value<std::string>(), "PEM private key of the --tls-cert certificate")(
      "workers", po::value<std::string>(),
      "transcripts recognised at once, each with its own recogniser of about 100 MB "
      "(default 1, at most the number of cores or 8)");
  return options;
}

}  // namespace

ServerOptions parse_server_options(int argc, const char* const argv[]) {
  po::options_description description = describe_options();
  po::variables_map values;
  try {
    po::store(po::command_line_parser(argc, argv).options(description).run(), values);
  } catch (const po::error& error) {
    throw OptionsError(std::string(error.what()) + ".");
  }

  ServerOptions options;
  if (values.count("help") != 0) {
    std::ostringstream help;
    help << "Usage: aai-local-server [--port P] [--api-key K] [--accounts FILE] [--data-dir D]\n"
         << "                        [--idle-timeout S] [--faults SPEC] [--faults-seed N]\n"
         << "                        [--tls-cert FILE --tls-key FILE] [--workers N]\n"
         << "aai's offline emulator of the AssemblyAI transcript API and LLM Gateway, on "
            "127.0.0.1 only.\n\n"
         << description;
    options.show_help = true;
    options.help_text = help.str();
    return options;
  }
  if (values.count("port") != 0) {
    options.port =
        static_cast<uint16_t>(parse_integer("port", values["port"].as<std::string>(), 0, 65535));
  }
  if (values.count("api-key") != 0) {
    options.api_key = values["api-key"].as<std::string>();
    if (options.api_key->empty()) {
      throw OptionsError("--api-key must not be empty.");
    }
  }
  if (values.count("accounts") != 0) {
    options.accounts_file = values["accounts"].as<std::string>();
    if (options.accounts_file->empty()) {
      throw OptionsError("--accounts must name a file.");
    }
  }
  if (values.count("idle-timeout") != 0) {
    options.idle_timeout_seconds = parse_integer(
        "idle-timeout", values["idle-timeout"].as<std::string>(), 0, 365LL * 24 * 3600);
  }
  if (values.count("faults") != 0) {
    try {
      options.faults = parse_fault_spec(values["faults"].as<std::string>());
    } catch (const FaultSpecError& error) {
      throw OptionsError(error.what());
    }
  }
  if (values.count("faults-seed") != 0) {
    options.faults_seed = static_cast<uint64_t>(
        parse_integer("faults-seed", values["faults-seed"].as<std::string>(), 0, INT64_MAX));
  }
  if ((values.count("tls-cert") != 0) != (values.count("tls-key") != 0)) {
    throw OptionsError(
        "--tls-cert and --tls-key go together: give both to serve HTTPS, or neither.");
  }
  if (values.count("tls-cert") != 0) {
    options.tls_cert = values["tls-cert"].as<std::string>();
    options.tls_key = values["tls-key"].as<std::string>();
    if (options.tls_cert->empty() || options.tls_key->empty()) {
      throw OptionsError("--tls-cert and --tls-key must name files.");
    }
  }
  if (values.count("workers") != 0) {
    options.workers = static_cast<unsigned>(
        parse_integer("workers", values["workers"].as<std::string>(), 1, max_workers()));
  }
  if (values.count("data-dir") != 0) {
    options.data_dir = values["data-dir"].as<std::string>();
  } else if (auto data_dir = default_data_dir()) {
    options.data_dir = *data_dir;
  } else {
    throw OptionsError(
        "Neither XDG_DATA_HOME nor HOME is an absolute path, so there is no "
        "default data folder. Pass --data-dir.");
  }
  return options;
}

unsigned max_workers() {
  unsigned cores = std::thread::hardware_concurrency();
  return std::clamp(cores, 1U, 8U);
}

}  // namespace aai::local
