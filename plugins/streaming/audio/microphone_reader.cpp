#include "microphone_reader.hpp"

#include <aai/plugin.h>

#include <alsa/asoundlib.h>
#include <jack/jack.h>
#include <portaudio.h>

#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

namespace streaming {
namespace {

// Used when a device reports no default rate, as the Python CLI does.
constexpr int kFallbackSampleRate = 48000;

void ignore_alsa_error(const char*, int, const char*, int, const char*, ...) {}
void ignore_jack_message(const char*) {}

// Without sound hardware, as in a container, ALSA and JACK print dozens of lines on stderr while
// PortAudio probes them. The user should see only aai's own message, so both libraries get
// silent error handlers before the first PortAudio call, and JACK_NO_START_SERVER keeps JACK
// from starting a server.
void silence_sound_libraries() {
  setenv("JACK_NO_START_SERVER", "1", 0);
  snd_lib_error_set_handler(&ignore_alsa_error);
  jack_set_error_function(&ignore_jack_message);
  jack_set_info_function(&ignore_jack_message);
}

AudioFailure no_microphone() {
  return {AAI_EXIT_USAGE, "no_microphone", "No microphone was found.",
          "Pass an audio file (`aai stream FILE`), or `-` to read raw 16-bit PCM from stdin."};
}

AudioFailure microphone_error(const std::string& action, PaError error) {
  return {AAI_EXIT_FAILURE, "mic_error", action + ": " + Pa_GetErrorText(error),
          "Check that the microphone is connected and not used by another program."};
}

class PortAudioReader : public BlockReader {
 public:
  PortAudioReader(PaStream* stream, int sample_rate, int channels)
      : stream_(stream), sample_rate_(sample_rate), channels_(channels) {}

  ~PortAudioReader() override {
    if (started_) {
      Pa_StopStream(stream_);
    }
    Pa_CloseStream(stream_);
    Pa_Terminate();
  }

  int sample_rate() const override { return sample_rate_; }

  void start(AudioFailure& failure) override {
    const PaError error = Pa_StartStream(stream_);
    if (error != paNoError) {
      failure = microphone_error("Could not start the microphone", error);
      return;
    }
    started_ = true;
  }

  ReadStatus read_block(std::vector<int16_t>& out, AudioFailure& failure) override {
    const unsigned long frames = static_cast<unsigned long>(sample_rate_ / 10);
    captured_.resize(frames * static_cast<size_t>(channels_));
    const PaError error = Pa_ReadStream(stream_, captured_.data(), frames);
    // An overflow means some older samples were dropped; the block itself is still valid.
    if (error != paNoError && error != paInputOverflowed) {
      failure = microphone_error("Reading the microphone failed", error);
      return ReadStatus::kEnd;
    }
    out.resize(frames);
    for (size_t frame = 0; frame < frames; ++frame) {
      int sum = 0;
      for (int channel = 0; channel < channels_; ++channel) {
        sum += captured_[frame * static_cast<size_t>(channels_) + static_cast<size_t>(channel)];
      }
      out[frame] = static_cast<int16_t>(sum / channels_);
    }
    return ReadStatus::kSamples;
  }

 private:
  PaStream* stream_;
  int sample_rate_;
  int channels_;
  bool started_ = false;
  std::vector<int16_t> captured_;
};

// Returns the device to open, or paNoDevice after filling `failure`.
PaDeviceIndex pick_device(const MicrophoneRequest& request, AudioFailure& failure) {
  if (Pa_GetDefaultInputDevice() == paNoDevice) {
    failure = no_microphone();
    return paNoDevice;
  }
  if (!request.device) {
    return Pa_GetDefaultInputDevice();
  }
  const int index = *request.device;
  const PaDeviceInfo* info =
      index >= 0 && index < Pa_GetDeviceCount() ? Pa_GetDeviceInfo(index) : nullptr;
  if (info == nullptr || info->maxInputChannels < 1) {
    failure = {AAI_EXIT_USAGE, "usage_error",
               "--device " + std::to_string(index) + " is not an input device.",
               "Leave out --device to use the default microphone."};
    return paNoDevice;
  }
  return index;
}

// Returns 1 when the device records mono at `rate`, otherwise 2 (downmixed on read).
int pick_channels(PaDeviceIndex device, const PaDeviceInfo& info, double rate) {
  PaStreamParameters mono{device, 1, paInt16, info.defaultLowInputLatency, nullptr};
  if (info.maxInputChannels < 2 || Pa_IsFormatSupported(&mono, nullptr, rate) == paNoError) {
    return 1;
  }
  return 2;
}

}  // namespace

std::unique_ptr<BlockReader> open_microphone_reader(const MicrophoneRequest& request,
                                                    AudioFailure& failure) {
  silence_sound_libraries();
  if (const PaError error = Pa_Initialize(); error != paNoError) {
    failure = microphone_error("Could not initialise PortAudio", error);
    return nullptr;
  }
  const PaDeviceIndex device = pick_device(request, failure);
  if (device == paNoDevice) {
    Pa_Terminate();
    return nullptr;
  }

  const PaDeviceInfo& info = *Pa_GetDeviceInfo(device);
  int rate = request.sample_rate.value_or(static_cast<int>(std::lround(info.defaultSampleRate)));
  rate = rate > 0 ? rate : kFallbackSampleRate;
  const int channels = pick_channels(device, info, rate);
  PaStreamParameters input{device, channels, paInt16, info.defaultLowInputLatency, nullptr};
  PaStream* stream = nullptr;
  const PaError error =
      Pa_OpenStream(&stream, &input, nullptr, rate, static_cast<unsigned long>(rate / 10), paNoFlag,
                    nullptr, nullptr);
  if (error != paNoError) {
    failure = microphone_error("Could not open the microphone '" + std::string(info.name) +
                                   "' at " + std::to_string(rate) + " Hz",
                               error);
    Pa_Terminate();
    return nullptr;
  }
  return std::make_unique<PortAudioReader>(stream, rate, channels);
}

}  // namespace streaming
