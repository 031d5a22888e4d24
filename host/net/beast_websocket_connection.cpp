#include "host/net/beast_websocket_connection.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>

namespace aai::host {

std::string describe_dropped_connection(const boost::system::error_code& error) {
  namespace asio_error = boost::asio::error;
  if (error == asio_error::eof || error == boost::beast::http::error::end_of_stream ||
      error == boost::asio::ssl::error::stream_truncated) {
    return "end of stream";
  }
  if (error == asio_error::connection_reset) {
    return "the connection was reset";
  }
  if (error == asio_error::broken_pipe) {
    return "the connection was broken";
  }
  if (error == boost::beast::error::timeout) {
    return "timed out";
  }
  if (error == asio_error::operation_aborted) {
    return "the connection was closed by this client";
  }
  return error.message();
}

WebSocketEvent closed_event(const boost::system::error_code& error,
                            const boost::beast::websocket::close_reason& peer_reason) {
  WebSocketEvent event;
  event.kind = WebSocketEvent::Kind::kClosed;
  if (error == boost::beast::websocket::error::closed) {
    // RFC 6455 reserves 1005 for "a close frame without a status code".
    event.close_code = peer_reason.code == boost::beast::websocket::close_code::none
                           ? 1005
                           : static_cast<int>(peer_reason.code);
    event.close_reason = peer_reason.reason.c_str();
    return event;
  }
  event.close_code = 1006;
  event.close_reason = describe_dropped_connection(error);
  return event;
}

}  // namespace aai::host
