// aai: parse the global options, build the host, run the command, report its one error type.
#include "cli_error.hpp"
#include "global_options.hpp"
#include "signals.hpp"
#include "startup.hpp"

#include <memory>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  aai::host::install_signal_handlers();
  std::vector<std::string> args(argv + 1, argv + argc);
  std::unique_ptr<aai::host::Application> application;
  try {
    application = aai::host::create_application(aai::host::parse_global_options(args));
    return application->run();
  } catch (const aai::host::CliError& error) {
    aai::host::report_error(application.get(), args, error);
    return error.exit_code();
  }
}
