// The options that go before the command name. The parser, `aai --help`, the completion scripts
// and the usage errors all read this table, so a new global option needs only a row here and a
// field in GlobalOptions.
#pragma once

namespace aai::host {

struct GlobalOptionSpec {
  const char* long_name;
  /// 0 when the option has no one-letter form.
  char short_name;
  /// The value's placeholder in help, or nullptr for a switch.
  const char* value_name;
  /// The row in `aai --help`, and the description in the completion scripts.
  const char* help;
  /// Whether commands accept it too after their name, so that placing it there is no mistake.
  bool also_after_command;
};

inline constexpr GlobalOptionSpec kGlobalOptionTable[] = {
    {"env", 0, "NAME", "Use the environment NAME (default: production).", false},
    {"sandbox", 0, nullptr, "Use the sandbox000 environment, as --env sandbox000 does.", false},
    {"profile", 'p', "NAME", "Use the config profile NAME (default: default).", false},
    {"json", 'j', nullptr, "Print results and errors as JSON; also accepted after the command.",
     true},
    {"quiet", 'q', nullptr, "Hide notes, warnings and progress.", false},
    {"verbose", 'v', nullptr, "Log more: -v adds info lines, -vv debug lines with each request.",
     false},
    {"version", 'V', nullptr, "Print the version and exit.", false},
    {"help", 'h', nullptr, "Print this help and exit.", true},
};

}  // namespace aai::host
