#include "server_messages.hpp"

namespace streaming {
namespace {

Turn parse_turn(const nlohmann::json& message) {
  Turn turn;
  turn.turn_order = message.value("turn_order", 0);
  turn.transcript = message.value("transcript", "");
  turn.end_of_turn = message.value("end_of_turn", false);
  turn.turn_is_formatted = message.value("turn_is_formatted", false);
  if (message.contains("speaker_label") && message["speaker_label"].is_string()) {
    turn.speaker = message["speaker_label"].get<std::string>();
  }
  if (message.contains("words") && message["words"].is_array()) {
    turn.words = message["words"];
  }
  return turn;
}

}  // namespace

void ServerMessages::handle(const std::string& text) {
  const nlohmann::json message = nlohmann::json::parse(text, nullptr, false);
  if (!message.is_object() || !message.contains("type") || !message["type"].is_string()) {
    host_.debug("Skipped a message that is not a typed JSON object: " + text.substr(0, 200));
    return;
  }
  const std::string type = message["type"].get<std::string>();
  try {
    if (type == "Begin") {
      renderer_.begin(message.value("id", ""), message.value("expires_at", nlohmann::json()));
    } else if (type == "Turn") {
      handle_turn(message);
    } else if (type == "Termination") {
      flush_held_turn();
      termination_received_ = true;
      renderer_.termination(message.value("audio_duration_seconds", nlohmann::json()),
                            message.value("session_duration_seconds", nlohmann::json()));
    } else if (type == "Error") {
      error_ = ServerError{message.value("error_code", 0), message.value("error", "")};
    } else {
      host_.debug("Skipped a message of unknown type " + type);
    }
  } catch (const nlohmann::json::exception& error) {
    host_.debug("Skipped a " + type + " message with a field of the wrong type: " + error.what());
  }
}

void ServerMessages::handle_turn(const nlohmann::json& message) {
  const Turn turn = parse_turn(message);
  if (held_turn_ && held_turn_->turn_order != turn.turn_order) {
    flush_held_turn();
  }
  if (!turn.end_of_turn) {
    renderer_.partial(turn);
    return;
  }
  if (last_final_order_ && turn.turn_order <= *last_final_order_) {
    return;
  }
  if (format_turns_ && !turn.turn_is_formatted) {
    held_turn_ = turn;
    renderer_.partial(turn);
    return;
  }
  finalise(turn);
}

void ServerMessages::flush_held_turn() {
  if (held_turn_) {
    const Turn turn = *held_turn_;
    finalise(turn);
  }
}

void ServerMessages::finalise(const Turn& turn) {
  held_turn_.reset();
  last_final_order_ = turn.turn_order;
  if (!turn.transcript.empty()) {
    ++finalised_turns_;
  }
  renderer_.final_turn(turn);
}

}  // namespace streaming
