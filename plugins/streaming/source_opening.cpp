#include "source_opening.hpp"

#include "live_source.hpp"
#include "stdin_reader.hpp"

namespace streaming {
namespace {

std::unique_ptr<AudioSource> open_file(const StreamSettings& settings, AudioBackend& backend) {
  AudioFailure failure;
  OpenedFile opened = backend.open_file(settings.file_path, failure);
  throw_if_failed(failure);
  if (settings.sample_rate && *settings.sample_rate != opened.file_sample_rate) {
    throw aai::usage_error("--sample-rate " + std::to_string(*settings.sample_rate) +
                               " does not match the rate of " + settings.file_path + ": " +
                               std::to_string(opened.file_sample_rate) + " Hz.",
                           "Leave out --sample-rate for files; aai reads the rate from the file.");
  }
  return std::move(opened.source);
}

}  // namespace

void throw_if_failed(const AudioFailure& failure) {
  if (failure.failed()) {
    throw aai::Error(failure.exit_code, failure.type, failure.message, failure.suggestion);
  }
}

std::unique_ptr<AudioSource> open_source(const StreamSettings& settings,
                                         const std::function<AudioBackend&()>& audio_backend,
                                         int stdin_fd) {
  switch (settings.source_kind) {
    case SourceKind::kFile:
      return open_file(settings, audio_backend());
    case SourceKind::kStdin:
      return std::make_unique<LiveSource>(std::make_unique<StdinReader>(
          stdin_fd, settings.sample_rate.value_or(kDefaultStdinSampleRate)));
    case SourceKind::kMicrophone:
      break;
  }
  AudioFailure failure;
  auto reader = audio_backend().open_microphone({settings.device, settings.sample_rate}, failure);
  throw_if_failed(failure);
  return std::make_unique<LiveSource>(std::move(reader));
}

std::vector<int16_t> read_first_samples(const aai::Host& host, AudioSource& source,
                                        SourceKind kind) {
  AudioFailure failure;
  source.start(failure);
  throw_if_failed(failure);
  std::vector<int16_t> samples;
  for (;;) {
    const ReadStatus status = source.read(samples, std::chrono::milliseconds(100), failure);
    throw_if_failed(failure);
    if (status == ReadStatus::kSamples) {
      return samples;
    }
    if (status == ReadStatus::kEnd) {
      break;
    }
    if (host.is_interrupted()) {
      throw aai::Error(AAI_EXIT_INTERRUPTED, "interrupted",
                       "Interrupted before any audio arrived.");
    }
  }
  if (kind == SourceKind::kStdin) {
    throw aai::Error(AAI_EXIT_USAGE, "empty_audio", "Standard input ended before any audio.",
                     "Pipe raw 16-bit PCM into the command, as in `cat talk.raw | aai stream -`.");
  }
  throw aai::Error(AAI_EXIT_USAGE, "empty_audio", "The audio file has no samples.",
                   "Check that the recording finished writing, then run the command again.");
}

}  // namespace streaming
