// The queue between a WebSocket connection's network thread and the thread that receives.
#pragma once

#include "host/net/exported_interface.hpp"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>

namespace aai::host {

/// Messages in arrival order, ended by at most one kClosed event. [any-thread]
class WebSocketEventQueue {
 public:
  /// Appends a message, or the close. Anything pushed after the first kClosed is dropped,
  /// because the first cause of a close is the one worth reporting.
  void push(WebSocketEvent event);

  /// Waits up to `timeout` and returns the oldest event, or kTimeout. The kClosed event stays
  /// in the queue, so every later call returns it again.
  WebSocketEvent pop(std::chrono::milliseconds timeout);

  /// Returns whether a kClosed event was pushed.
  bool is_closed() const;

  /// Waits up to `timeout` for a kClosed event and returns whether one arrived.
  bool wait_closed(std::chrono::milliseconds timeout);

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<WebSocketEvent> events_;
  bool closed_ = false;
};

}  // namespace aai::host
