// Where `aai stream` gets its audio: 16-bit mono samples at a fixed rate, read in blocks.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace streaming {

/// Outcome of a read.
enum class ReadStatus {
  /// Samples were appended.
  kSamples,
  /// Nothing arrived within the wait; only live sources return it.
  kPending,
  /// The input is exhausted, or reading failed (the failure then gives the reason).
  kEnd,
};

/// A failure with the fields of aai::Error as plain data. The audio library reports failures
/// this way because no exception may leave a library loaded with dlopen.
struct AudioFailure {
  int exit_code = 0;
  std::string type;
  std::string message;
  std::string suggestion;

  bool failed() const { return exit_code != 0; }
};

/// A source the session reads on its own thread.
class AudioSource {
 public:
  virtual ~AudioSource() = default;

  /// Rate of the samples read returns, in Hz.
  virtual int sample_rate() const = 0;

  /// Begins capture. Live sources open the device or start their reader thread here, so no audio
  /// piles up while the connection is set up.
  virtual void start(AudioFailure& failure) = 0;

  /// Appends the next samples to `out`, waiting at most `wait` for some to arrive.
  virtual ReadStatus read(std::vector<int16_t>& out, std::chrono::milliseconds wait,
                          AudioFailure& failure) = 0;

  /// Stops capture; later reads return what is already queued and then kEnd.
  virtual void stop() = 0;
};

/// A producer that blocks while it waits for audio, run on a reader thread by LiveSource.
class BlockReader {
 public:
  virtual ~BlockReader() = default;

  virtual int sample_rate() const = 0;

  /// Called once on the reader thread before the first read_block.
  virtual void start(AudioFailure& failure) = 0;

  /// Replaces `out` with the next block, blocking for at most about 100 ms. Returns kPending
  /// when nothing arrived in that time, so the reader thread can notice a stop request.
  virtual ReadStatus read_block(std::vector<int16_t>& out, AudioFailure& failure) = 0;
};

}  // namespace streaming
