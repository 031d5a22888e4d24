// The recognition thread of one /v3/ws session, so CPU work never runs on the Asio thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <variant>

#include <aai_local/streaming_recognizer.hpp>
#include <nlohmann/json.hpp>

#include "server/streaming_params.hpp"

namespace aai::local {

/// Callbacks that the worker thread calls; they must only hand their data to the Asio thread.
struct SessionWorkerEvents {
  /// A Turn message (partial or final) to send.
  std::function<void(nlohmann::json)> send;
  /// Recognition of everything received has finished after finish().
  std::function<void()> finished;
  /// Recognition failed; the message is for the session's Error message.
  std::function<void(std::string)> failed;
};

/// Owns the session's recogniser on its own thread and takes commands in order. The destructor
/// abandons queued commands and joins the thread.
class SessionWorker {
 public:
  SessionWorker(const StreamingParams& params, SessionWorkerEvents events);
  ~SessionWorker();
  SessionWorker(const SessionWorker&) = delete;
  SessionWorker& operator=(const SessionWorker&) = delete;

  /// Queues one binary frame as received, in the session's encoding and rate.
  void add_audio(std::string frame);
  /// Ends the open turn now (ForceEndpoint).
  void force_endpoint();
  void update_turn_settings(const TurnSettings& settings);
  /// Recognises what is queued, ends the last turn, then calls events.finished.
  void finish();

 private:
  struct Audio {
    std::string frame;
  };
  struct ForceEndpoint {};
  struct Finish {};
  using Command = std::variant<Audio, ForceEndpoint, TurnSettings, Finish>;

  void push(Command command);
  void run();
  void run_commands(StreamingRecognizer& recognizer);
  void send_turns(std::vector<TurnUpdate> turns);
  void send_partial(StreamingRecognizer& recognizer);

  StreamingParams params_;
  SessionWorkerEvents events_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Command> commands_;
  bool stopping_ = false;
  int64_t turn_order_ = 0;
  // Whether a partial of the current turn_order was sent, so its final is sent even if empty.
  bool partial_sent_ = false;
  std::string last_partial_text_;
  std::chrono::steady_clock::time_point last_partial_at_{};
  std::thread thread_;
};

}  // namespace aai::local
