#include "plugin_command.hpp"

#include <optional>

namespace aai::host {

namespace {

struct InvocationState {
  const ParsedCommandLine* line = nullptr;
  std::optional<CliError> failure;
};

const InvocationState& state_of(const aai_invocation_t* invocation) {
  return *static_cast<const InvocationState*>(invocation->host_data);
}

const std::vector<std::string>* values_of(const aai_invocation_t* invocation, const char* name) {
  if (name == nullptr) {
    return nullptr;
  }
  const auto& options = state_of(invocation).line->options;
  auto found = options.find(name);
  return found != options.end() ? &found->second : nullptr;
}

uint32_t option_count(const aai_invocation_t* invocation, const char* name) {
  const auto* values = values_of(invocation, name);
  return values != nullptr ? static_cast<uint32_t>(values->size()) : 0;
}

const char* option_value(const aai_invocation_t* invocation, const char* name, uint32_t index) {
  const auto* values = values_of(invocation, name);
  return values != nullptr && index < values->size() ? (*values)[index].c_str() : nullptr;
}

uint32_t argument_count(const aai_invocation_t* invocation) {
  return static_cast<uint32_t>(state_of(invocation).line->arguments.size());
}

const char* argument_value(const aai_invocation_t* invocation, uint32_t index) {
  const auto& arguments = state_of(invocation).line->arguments;
  return index < arguments.size() ? arguments[index].c_str() : nullptr;
}

void fail(const aai_invocation_t* invocation, int32_t exit_code, const char* type,
          const char* message, const char* suggestion, const char* details_json) {
  auto& state = *static_cast<InvocationState*>(invocation->host_data);
  try {
    state.failure.emplace(exit_code != 0 ? exit_code : 1, type != nullptr ? type : "error",
                          message != nullptr ? message : "The command failed.",
                          suggestion != nullptr ? suggestion : "",
                          details_json != nullptr ? details_json : "");
  } catch (...) {
    // Out of memory while copying the message; the generic failure below still reports it.
  }
}

int run_plugin_command(PluginHost& host, const std::string& command_name, aai_command_run_fn run,
                       void* context, const ParsedCommandLine& line) {
  InvocationState state;
  state.line = &line;
  aai_invocation_t invocation{};
  invocation.struct_size = sizeof invocation;
  invocation.host_data = &state;
  invocation.option_count = &option_count;
  invocation.option_value = &option_value;
  invocation.argument_count = &argument_count;
  invocation.argument_value = &argument_value;
  invocation.fail = &fail;

  int32_t exit_code = 0;
  try {
    exit_code = run(context, &host.raw, &invocation);
  } catch (const std::exception& error) {
    throw CliError(1, "internal_error",
                   "The plugin '" + host.plugin_name + "' raised an exception in `aai " +
                       command_name + "`: " + error.what(),
                   "Report this to the plugin's authors.");
  } catch (...) {
    throw CliError(1, "internal_error",
                   "The plugin '" + host.plugin_name + "' raised an unknown exception in `aai " +
                       command_name + "`.",
                   "Report this to the plugin's authors.");
  }
  if (exit_code == 0) {
    return 0;
  }
  if (state.failure) {
    throw CliError(exit_code, state.failure->type(), state.failure->what(),
                   state.failure->suggestion(), state.failure->details_json());
  }
  if (exit_code == AAI_EXIT_INTERRUPTED) {
    throw CliError(exit_code, "interrupted", "Interrupted.");
  }
  throw CliError(exit_code, "internal_error",
                 "The plugin '" + host.plugin_name + "' failed `aai " + command_name +
                     "` with exit code " + std::to_string(exit_code) + " without saying why.",
                 "Run again with -v for its log, or report this to the plugin's authors.");
}

}  // namespace

CommandHandler make_plugin_handler(PluginHost& host, const std::string& command_name,
                                   aai_command_run_fn run, void* context) {
  return [&host, command_name, run, context](const ParsedCommandLine& line) {
    return run_plugin_command(host, command_name, run, context, line);
  };
}

}  // namespace aai::host
