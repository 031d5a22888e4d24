// The session's WebSocket as the session loop sees it, so tests can script the server.
#pragma once

#include <aai/plugin.hpp>

#include <chrono>
#include <map>
#include <string>

namespace streaming {

/// One connection to the Streaming v3 service. Every call happens on the session thread.
class StreamConnection {
 public:
  virtual ~StreamConnection() = default;

  /// Sends one binary frame of audio; throws aai::Error when the connection is broken.
  virtual void send_audio(const std::string& bytes) = 0;

  /// Sends one text message; throws aai::Error when the connection is broken.
  virtual void send_text(const std::string& text) = 0;

  /// Waits up to `timeout` for the next message or for the close.
  virtual aai::WebSocketEvent receive(std::chrono::milliseconds timeout) = 0;

  /// Starts a normal close (code 1000) without waiting.
  virtual void close() = 0;
};

/// A StreamConnection over the host's aai.websocket/1 service.
class WebSocketConnection : public StreamConnection {
 public:
  explicit WebSocketConnection(aai::WebSocket socket) : socket_(std::move(socket)) {}

  void send_audio(const std::string& bytes) override;
  void send_text(const std::string& text) override;
  aai::WebSocketEvent receive(std::chrono::milliseconds timeout) override;
  void close() override;

 private:
  aai::WebSocket socket_;
};

/// Connects to `{streaming_base}/v3/ws` with `query` and `sample_rate`. With
/// `temporary_token` it first fetches a token from GET /v3/token (the key goes only there) and
/// connects anonymously with `token=` in the query. Throws aai::Error when the token request or
/// the handshake fails; a rejected key gives exit 4 not_authenticated.
std::unique_ptr<StreamConnection> connect_session(const aai::Host& host,
                                                  const std::map<std::string, std::string>& query,
                                                  int sample_rate, bool temporary_token);

}  // namespace streaming
