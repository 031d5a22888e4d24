#include "host/net/websocket_event_queue.hpp"

#include <utility>

namespace aai::host {

void WebSocketEventQueue::push(WebSocketEvent event) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) {
      return;
    }
    closed_ = event.kind == WebSocketEvent::Kind::kClosed;
    events_.push_back(std::move(event));
  }
  changed_.notify_all();
}

WebSocketEvent WebSocketEventQueue::pop(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (!changed_.wait_for(lock, timeout, [this] { return !events_.empty(); })) {
    return WebSocketEvent{};
  }
  if (events_.front().kind == WebSocketEvent::Kind::kClosed) {
    return events_.front();
  }
  WebSocketEvent event = std::move(events_.front());
  events_.pop_front();
  return event;
}

bool WebSocketEventQueue::is_closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

bool WebSocketEventQueue::wait_closed(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [this] { return closed_; });
}

}  // namespace aai::host
