// A small program for the keyring test: runs one secret store call per process, the way aai
// does, with the store picked as aai picks it (core.secret_store unset, so "auto").
#include "config_store.hpp"
#include "log_sink.hpp"
#include "output.hpp"
#include "secrets/file_secret_backend.hpp"
#include "secrets/secret_store.hpp"

#include <cstdlib>
#include <iostream>
#include <string>

#include <unistd.h>

using namespace aai::host;

namespace {

int print_usage() {
  std::cerr << "usage: aai_keyring_helper describe|store S A VALUE|lookup S A|remove S A\n";
  return 2;
}

int run(SecretStore& store, int argc, char** argv) {
  std::string action = argv[1];
  if (action == "describe") {
    std::cout << store.describe() << "\n";
  } else if (action == "store" && argc == 5) {
    store.store(argv[2], argv[3], "aai keyring test", argv[4]);
    std::cout << "stored\n";
  } else if (action == "lookup" && argc == 4) {
    std::cout << store.lookup(argv[2], argv[3]).value_or("(none)") << "\n";
  } else if (action == "remove" && argc == 4) {
    std::cout << (store.remove(argv[2], argv[3]) ? "removed" : "not stored") << "\n";
  } else {
    return print_usage();
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    return print_usage();
  }
  ConfigStore config(default_config_path(std::getenv("XDG_CONFIG_HOME"), std::getenv("HOME")));
  LogSink log(std::cerr, 1, false);
  Output output(STDOUT_FILENO, std::cerr, false, false);
  auto data_folder = default_data_folder(std::getenv("XDG_DATA_HOME"), std::getenv("HOME"));
  SecretStore store(config, log, output, data_folder, default_secret_backend_sources(data_folder));
  try {
    return run(store, argc, argv);
  } catch (const std::exception& error) {
    std::cout << "error: " << error.what() << "\n";
    return 1;
  }
}
