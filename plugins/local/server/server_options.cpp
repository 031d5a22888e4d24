#include "server/server_options.hpp"

#include <sstream>

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
      "fail requests on purpose, for tests: comma-separated PATH=STATUSxCOUNT parts; the first "
      "COUNT requests whose path starts with PATH get HTTP STATUS with Retry-After: 1 (example: "
      "/v1/chat/completions=429x2)");
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
         << "                        [--idle-timeout S] [--faults SPEC]\n"
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

}  // namespace aai::local
