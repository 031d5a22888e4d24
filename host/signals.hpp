// SIGINT/SIGTERM handling and SIGPIPE suppression for the whole process.
#pragma once

namespace aai::host {

/// Ignores SIGPIPE (so a closed stdout shows up as EPIPE) and installs handlers for SIGINT and
/// SIGTERM: the first one sets the interrupted flag, a second one exits with 130 at once.
void install_signal_handlers();

/// Returns whether SIGINT or SIGTERM arrived. [any-thread]
bool is_interrupted();

/// Clears the interrupted flag; tests use it between cases.
void reset_interrupted();

}  // namespace aai::host
