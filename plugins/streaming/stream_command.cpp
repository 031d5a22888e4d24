#include "stream_command.hpp"

#include <optional>

#include <sys/ioctl.h>
#include <unistd.h>

#include "audio_library.hpp"
#include "source_opening.hpp"

namespace streaming {
namespace {

constexpr int kDefaultColumns = 80;

int terminal_columns(int configured) {
  if (configured > 0) {
    return configured;
  }
  winsize size{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    return size.ws_col;
  }
  return kDefaultColumns;
}

// The renderers of one run: the one -o picks, plus the --save-transcript file.
struct Renderers {
  std::unique_ptr<TurnRenderer> output;
  std::optional<TranscriptFileRenderer> transcript_file;
  RendererList all;
};

void set_up_renderers(const aai::Host& host, const StreamSettings& settings, int columns,
                      Renderers& renderers) {
  switch (settings.output) {
    case OutputMode::kTerminal:
      renderers.output = std::make_unique<TerminalRenderer>(host, terminal_columns(columns));
      break;
    case OutputMode::kText:
      renderers.output = std::make_unique<TextRenderer>(host);
      break;
    case OutputMode::kJson:
      renderers.output = std::make_unique<JsonRenderer>(host);
      break;
  }
  renderers.all.add(*renderers.output);
  if (settings.save_transcript_path) {
    renderers.transcript_file.emplace(host, *settings.save_transcript_path);
    renderers.all.add(*renderers.transcript_file);
  }
}

// Returns the frame callback that copies sent audio into --save-audio. A failed write is
// reported once and later frames are not saved, because the live transcript matters more.
std::function<void(const int16_t*, size_t)> audio_saver(const aai::Host& host, WavWriter* writer) {
  if (writer == nullptr) {
    return {};
  }
  auto failed = std::make_shared<bool>(false);
  return [host, writer, failed](const int16_t* samples, size_t count) {
    AudioFailure failure;
    if (!*failed && !writer->write(samples, count, failure)) {
      *failed = true;
      host.warn(failure.message + ". Later audio is not saved.");
    }
  };
}

std::unique_ptr<WavWriter> create_audio_file(const StreamSettings& settings,
                                             const StreamEnvironment& environment,
                                             int sample_rate) {
  if (!settings.save_audio_path) {
    return nullptr;
  }
  AudioFailure failure;
  auto writer =
      environment.audio_backend().create_wav(*settings.save_audio_path, sample_rate, failure);
  throw_if_failed(failure);
  return writer;
}

// Tidies the terminal on the way out of a failure without hiding that failure.
void finish_quietly(TurnRenderer& renderer) {
  try {
    renderer.finish();
  } catch (const aai::StdoutClosed&) {
  }
}

SessionSummary stream_session(const aai::Host& host, const StreamSettings& settings,
                              const StreamEnvironment& environment, AudioSource& source,
                              RendererList& renderer, SessionConfig config) {
  std::vector<int16_t> first_samples;
  if (settings.source_kind != SourceKind::kMicrophone) {
    first_samples = read_first_samples(host, source, settings.source_kind);
  }
  auto connection = environment.connect(host, settings, source.sample_rate());
  if (settings.source_kind == SourceKind::kMicrophone) {
    AudioFailure failure;
    source.start(failure);
    throw_if_failed(failure);
    host.note("Listening... (Ctrl-C to stop)");
  }
  SteadyClock steady_clock;
  Clock& clock = environment.clock != nullptr ? *environment.clock : steady_clock;
  ServerMessages messages(host, renderer, settings.format_turns());
  StreamSession session(host, *connection, source, clock, messages, std::move(config));
  return session.run(std::move(first_samples));
}

}  // namespace

StreamEnvironment default_stream_environment() {
  StreamEnvironment environment;
  environment.audio_backend = []() -> AudioBackend& { return load_audio_backend(); };
  environment.connect = [](const aai::Host& host, const StreamSettings& settings, int sample_rate) {
    return connect_session(host, settings.query, sample_rate, settings.temporary_token);
  };
  environment.stdin_fd = STDIN_FILENO;
  return environment;
}

aai::Command stream_command() {
  return {"stream",
          "Transcribe live audio from the microphone, a file or standard input",
          "Streams audio to AssemblyAI's Streaming v3 API in real time and prints each turn as it "
          "is recognised. SOURCE is an audio file (sent at its natural pace), `-` for raw "
          "16-bit little-endian mono PCM on standard input, or nothing for the default "
          "microphone. Exit codes: 0 done, 1 service or connection failure, 2 bad input, 4 no "
          "or rejected API key, 130 interrupted (turns finalised so far are printed first).",
          stream_options(),
          {{"SOURCE", "Audio file, - for raw PCM on standard input, or none for the microphone",
            false, false}},
          &run_stream};
}

int run_stream(const aai::Host& host, const aai::Invocation& invocation) {
  return run_stream_with(host, invocation, default_stream_environment());
}

int run_stream_with(const aai::Host& host, const aai::Invocation& invocation,
                    const StreamEnvironment& environment) {
  // Everything that can fail on the user's input is checked before connecting.
  const StreamSettings settings = read_stream_settings(host, invocation);
  std::unique_ptr<AudioSource> source =
      open_source(settings, environment.audio_backend, environment.stdin_fd);
  std::unique_ptr<WavWriter> audio_file =
      create_audio_file(settings, environment, source->sample_rate());
  Renderers renderers;
  set_up_renderers(host, settings, environment.terminal_columns, renderers);

  SessionConfig config = environment.timing;
  config.sample_rate = source->sample_rate();
  config.mulaw = settings.mulaw();
  config.interrupted = [host] { return host.is_interrupted(); };
  config.on_frame_sent = audio_saver(host, audio_file.get());

  SessionSummary summary;
  try {
    summary = stream_session(host, settings, environment, *source, renderers.all, config);
  } catch (...) {
    // The audio sent before a failure is still worth keeping, so the WAV file is completed
    // under its final name. The session's error is the one reported.
    finish_quietly(renderers.all);
    if (audio_file) {
      AudioFailure ignored;
      audio_file->finish(ignored);
    }
    throw;
  }
  renderers.all.finish();
  if (audio_file) {
    AudioFailure failure;
    audio_file->finish(failure);
    throw_if_failed(failure);
  }
  if (summary.end == SessionEnd::kInterrupted) {
    throw aai::Error(AAI_EXIT_INTERRUPTED, "interrupted",
                     "Interrupted after " + one_decimal(summary.audio_seconds) + " s of audio (" +
                         finalised_phrase(summary.finalised_turns) + ").");
  }
  return AAI_EXIT_OK;
}

}  // namespace streaming
