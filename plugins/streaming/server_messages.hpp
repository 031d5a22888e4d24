// Reads the service's text messages (Begin, Turn, Termination, Error) and decides which turn
// text is final.
#pragma once

#include <aai/plugin.hpp>

#include <optional>
#include <string>

#include "turn_renderer.hpp"

namespace streaming {

/// An Error message of the service: the close code it announces and its text.
struct ServerError {
  int code = 0;
  std::string message;
};

class ServerMessages {
 public:
  /// With `format_turns`, a turn's final text is its formatted Turn message; the unformatted
  /// end-of-turn message before it is only shown as a partial, and becomes final only when no
  /// formatted one follows (a later turn or the end of the session arrives first).
  ServerMessages(aai::Host host, TurnRenderer& renderer, bool format_turns)
      : host_(host), renderer_(renderer), format_turns_(format_turns) {}

  /// Handles one text message. Malformed or unknown messages are logged at debug level and
  /// skipped, so a newer service's additions do not break the client.
  void handle(const std::string& text);

  /// Makes an ended turn still waiting for its formatted text final.
  void flush_held_turn();

  bool termination_received() const { return termination_received_; }
  int finalised_turns() const { return finalised_turns_; }
  const std::optional<ServerError>& error() const { return error_; }

 private:
  void handle_turn(const nlohmann::json& message);
  void finalise(const Turn& turn);

  aai::Host host_;
  TurnRenderer& renderer_;
  bool format_turns_;
  std::optional<Turn> held_turn_;
  std::optional<int> last_final_order_;
  int finalised_turns_ = 0;
  bool termination_received_ = false;
  std::optional<ServerError> error_;
};

}  // namespace streaming
