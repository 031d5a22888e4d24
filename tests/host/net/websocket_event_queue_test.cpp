#include "host/net/websocket_event_queue.hpp"

#include <gtest/gtest.h>

namespace aai::host {
namespace {

using std::chrono::milliseconds;
using Kind = WebSocketEvent::Kind;

WebSocketEvent text(const std::string& data) {
  WebSocketEvent event;
  event.kind = Kind::kText;
  event.data = data;
  return event;
}

WebSocketEvent closed(int code, const std::string& reason) {
  WebSocketEvent event;
  event.kind = Kind::kClosed;
  event.close_code = code;
  event.close_reason = reason;
  return event;
}

TEST(WebSocketEventQueueTest, EmptyQueueTimesOut) {
  WebSocketEventQueue queue;

  WebSocketEvent event = queue.pop(milliseconds(0));

  EXPECT_EQ(event.kind, Kind::kTimeout);
  EXPECT_FALSE(queue.is_closed());
}

TEST(WebSocketEventQueueTest, ClosedEventRepeatsAfterMessages) {
  WebSocketEventQueue queue;
  queue.push(text("one"));
  queue.push(closed(1000, "done"));

  WebSocketEvent first = queue.pop(milliseconds(0));
  WebSocketEvent second = queue.pop(milliseconds(0));
  WebSocketEvent third = queue.pop(milliseconds(0));

  EXPECT_EQ(first.data, "one");
  EXPECT_EQ(second.kind, Kind::kClosed);
  EXPECT_EQ(third.kind, Kind::kClosed);
  EXPECT_EQ(third.close_code, 1000);
  EXPECT_TRUE(queue.wait_closed(milliseconds(0)));
}

TEST(WebSocketEventQueueTest, FirstCloseWins) {
  WebSocketEventQueue queue;
  queue.push(closed(1006, "timed out sending a message"));
  queue.push(closed(1006, "the connection was closed by this client"));
  queue.push(text("late"));

  WebSocketEvent event = queue.pop(milliseconds(0));

  EXPECT_EQ(event.close_reason, "timed out sending a message");
}

}  // namespace
}  // namespace aai::host
