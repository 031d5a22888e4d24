// WebSocketConnection on Boost.Beast, for a plain TCP or a TLS stream.
#pragma once

#include "host/net/exported_interface.hpp"
#include "host/net/websocket_event_queue.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

namespace aai::host {

using PlainWebSocketStream = boost::beast::tcp_stream;
using SecureWebSocketStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

/// Returns a short reason for a connection that ended without a close frame: "end of stream",
/// "the connection was reset", or the error's own message.
std::string describe_dropped_connection(const boost::system::error_code& error);

/// Returns the kClosed event for the error that ended a read: the peer's close code and reason
/// after a close frame (1005 when the frame had no code), otherwise 1006 and what happened.
WebSocketEvent closed_event(const boost::system::error_code& error,
                            const boost::beast::websocket::close_reason& peer_reason);

/// Time allowed for a message to be written before the connection counts as broken.
inline constexpr std::chrono::seconds kSendTimeout{30};

/// Time the destructor waits for the peer's reply to its close frame.
inline constexpr std::chrono::seconds kReleaseCloseWait{1};

/// Time allowed for the closing handshake once started with close().
inline constexpr std::chrono::seconds kCloseHandshakeTimeout{5};

/// A connection that owns its io_context. The transport runs the opening handshake on
/// io_context() from the calling thread, then start() hands the context to a network thread
/// that reads messages into a queue. Until start(), nothing runs in the background.
template <typename Stream>
class BeastWebSocketConnection final : public WebSocketConnection {
 public:
  using WebSocketStream = boost::beast::websocket::stream<Stream>;

  /// `tls` is the TLS context for a SecureWebSocketStream and must be null otherwise.
  explicit BeastWebSocketConnection(std::shared_ptr<boost::asio::ssl::context> tls)
      : tls_(std::move(tls)) {
    if constexpr (std::is_same_v<Stream, SecureWebSocketStream>) {
      stream_.emplace(io_context_, *tls_);
    } else {
      stream_.emplace(io_context_);
    }
  }

  ~BeastWebSocketConnection() override {
    if (thread_.joinable()) {
      if (!events_.is_closed()) {
        close(1001, "");
        events_.wait_closed(kReleaseCloseWait);
      }
      // stop() ends run() after the running handler, so the join is bounded even when the
      // peer never replies to the close frame.
      io_context_.stop();
      thread_.join();
    }
    stream_.reset();
  }

  BeastWebSocketConnection(const BeastWebSocketConnection&) = delete;
  BeastWebSocketConnection& operator=(const BeastWebSocketConnection&) = delete;

  boost::asio::io_context& io_context() { return io_context_; }
  WebSocketStream& stream() { return *stream_; }

  /// Starts the network thread and the read loop. Call once, after a successful handshake.
  void start() {
    using boost::beast::websocket::stream_base;
    stream_base::timeout timeouts{};
    timeouts.handshake_timeout = kCloseHandshakeTimeout;
    timeouts.idle_timeout = stream_base::none();
    timeouts.keep_alive_pings = false;
    stream_->set_option(timeouts);
    boost::beast::get_lowest_layer(*stream_).expires_never();

    read_next();
    thread_ = std::thread([this] { run_network_thread(); });
  }

  void send(bool binary, std::string_view data) override {
    if (closing_ || events_.is_closed()) {
      throw TransportError(TransportError::Kind::kConnectionFailed, "the connection is closed");
    }
    auto payload = std::make_shared<std::string>(data);
    auto written = std::make_shared<std::promise<boost::system::error_code>>();
    std::future<boost::system::error_code> result = written->get_future();
    boost::asio::post(io_context_, [this, payload, written, binary] {
      stream_->binary(binary);
      stream_->async_write(boost::asio::buffer(*payload),
                           [payload, written](boost::system::error_code error, size_t) {
                             written->set_value(error);
                           });
    });

    if (result.wait_for(kSendTimeout) != std::future_status::ready) {
      drop("timed out sending a message");
      throw TransportError(
          TransportError::Kind::kTimedOut,
          "the message was not sent within " + std::to_string(kSendTimeout.count()) + " seconds");
    }
    if (boost::system::error_code error = result.get()) {
      throw TransportError(TransportError::Kind::kConnectionFailed,
                           "the connection is broken (" + describe_dropped_connection(error) + ")");
    }
  }

  WebSocketEvent receive(std::chrono::milliseconds timeout) override {
    return events_.pop(timeout);
  }

  void close(int code, const std::string& reason) override {
    if (closing_.exchange(true) || events_.is_closed()) {
      return;
    }
    // RFC 6455 limits a close frame's reason to 123 bytes.
    boost::beast::websocket::close_reason close_reason(
        static_cast<boost::beast::websocket::close_code>(code),
        boost::beast::string_view(reason.data(), std::min<size_t>(reason.size(), 123)));
    boost::asio::post(io_context_, [this, close_reason] {
      stream_->async_close(close_reason, [this](boost::system::error_code error) {
        // Success means that the peer's close frame arrived, and reason() contains its code.
        events_.push(error
                         ? closed_event(error, {})
                         : closed_event(boost::beast::websocket::error::closed, stream_->reason()));
      });
    });
  }

 private:
  void read_next() {
    stream_->async_read(buffer_, [this](boost::system::error_code error, size_t) {
      // In Boost 1.74 a pending read completes with operation_aborted once async_close starts,
      // so the close handler reports the close instead.
      if (error == boost::asio::error::operation_aborted && closing_) {
        return;
      }
      if (error) {
        events_.push(closed_event(error, stream_->reason()));
        return;
      }
      WebSocketEvent event;
      event.kind =
          stream_->got_text() ? WebSocketEvent::Kind::kText : WebSocketEvent::Kind::kBinary;
      event.data = boost::beast::buffers_to_string(buffer_.data());
      buffer_.consume(buffer_.size());
      events_.push(std::move(event));
      read_next();
    });
  }

  // Ends the connection without a closing handshake; receive then reports 1006 with `reason`.
  void drop(const std::string& reason) {
    closing_ = true;
    WebSocketEvent event;
    event.kind = WebSocketEvent::Kind::kClosed;
    event.close_code = 1006;
    event.close_reason = reason;
    events_.push(std::move(event));
    boost::asio::post(io_context_, [this] { boost::beast::get_lowest_layer(*stream_).close(); });
  }

  void run_network_thread() noexcept {
    try {
      io_context_.run();
    } catch (const std::exception& error) {
      WebSocketEvent event;
      event.kind = WebSocketEvent::Kind::kClosed;
      event.close_code = 1006;
      event.close_reason = std::string("internal error: ") + error.what();
      events_.push(std::move(event));
    }
  }

  // Declared first so that it is destroyed last: the stream and pending handlers refer to it.
  boost::asio::io_context io_context_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{
      io_context_.get_executor()};
  std::shared_ptr<boost::asio::ssl::context> tls_;
  std::optional<WebSocketStream> stream_;
  boost::beast::flat_buffer buffer_;
  WebSocketEventQueue events_;
  std::atomic<bool> closing_{false};
  std::thread thread_;
};

}  // namespace aai::host
