// `aai stream [SOURCE]`: transcribe a file, standard input or the microphone live over the
// Streaming v3 WebSocket API.
#pragma once

#include <aai/plugin.hpp>

#include <functional>
#include <memory>

#include "audio_backend.hpp"
#include "clock.hpp"
#include "stream_connection.hpp"
#include "stream_session.hpp"
#include "stream_settings.hpp"

namespace streaming {

/// Dependencies that run_stream takes from the outside world; tests replace parts of it.
struct StreamEnvironment {
  /// Returns the companion library's backend, loading it on first use.
  std::function<AudioBackend&()> audio_backend;
  /// Opens the session; by default connect_session through the host.
  std::function<std::unique_ptr<StreamConnection>(const aai::Host&, const StreamSettings&,
                                                  int sample_rate)>
      connect;
  /// Where `-` reads raw PCM from.
  int stdin_fd = 0;
  /// The pacing clock; null uses the steady clock.
  Clock* clock = nullptr;
  /// Timeouts and poll interval of the session; `interrupted` and `on_frame_sent` are set by
  /// run_stream.
  SessionConfig timing;
  /// Width of the terminal for the partial line; 0 asks the terminal.
  int terminal_columns = 0;
};

/// Returns the production environment: the companion library next to the plugin, the host's
/// WebSocket service, standard input and the steady clock.
StreamEnvironment default_stream_environment();

aai::Command stream_command();

/// Runs the command with the production environment.
int run_stream(const aai::Host& host, const aai::Invocation& invocation);

/// Runs the command. Returns 0 when the audio ended or the service ended the session normally;
/// throws aai::Error otherwise, including exit 130 (interrupted) after Ctrl-C or SIGTERM.
int run_stream_with(const aai::Host& host, const aai::Invocation& invocation,
                    const StreamEnvironment& environment);

}  // namespace streaming
