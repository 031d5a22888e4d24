// The fake aai.websocket/1 service of FakeHost: scripted server events and recorded messages.
#include "fake_host.hpp"

namespace aai::testing {
namespace {

FakeHost& fake(const aai_host_t* host) {
  return *static_cast<FakeHost*>(host->host_data);
}

aai_status_t fail_with(FakeHost& self, const ScriptedWebSocketFailure& failure) {
  self.last_error_exit_code = failure.exit_code;
  self.last_error_type = failure.type;
  self.last_error_message = failure.message;
  self.last_error_suggestion = failure.suggestion;
  return AAI_STATUS_ERROR;
}

aai_status_t websocket_connect(const aai_host_t* host, const aai_websocket_request_t* request,
                               aai_websocket_t** socket) {
  FakeHost& self = fake(host);
  *socket = nullptr;
  RecordedWebSocketConnect recorded;
  recorded.url = request->url;
  for (uint32_t i = 0; i < request->header_count; ++i) {
    recorded.headers.emplace_back(request->headers[i].name, request->headers[i].value);
  }
  recorded.connect_timeout_ms = request->connect_timeout_ms;
  recorded.anonymous = request->anonymous;
  self.websocket_connects.push_back(recorded);
  bool carries_credential = false;
  if (self.provider != nullptr && !request->anonymous &&
      !self.run_provider("WEBSOCKET", request->url, self.websocket_connects.back().headers,
                         carries_credential)) {
    return AAI_STATUS_ERROR;
  }
  if (self.websocket_connect_failure) {
    return fail_with(self, *self.websocket_connect_failure);
  }
  self.websocket_open = true;
  self.websocket_closed_by_plugin = false;
  self.websocket_final_event.reset();
  // Any non-null pointer works: the fake keeps the connection's state in FakeHost.
  *socket = reinterpret_cast<aai_websocket_t*>(&self);
  return AAI_STATUS_OK;
}

aai_status_t websocket_send(const aai_host_t* host, aai_websocket_t*, bool binary, const char* data,
                            size_t size) {
  FakeHost& self = fake(host);
  const int call = static_cast<int>(self.websocket_sent.size()) + 1;
  if (self.websocket_final_event ||
      (self.fail_websocket_send_from > 0 && call >= self.fail_websocket_send_from)) {
    return fail_with(self, self.websocket_send_failure);
  }
  self.websocket_sent.push_back({binary, std::string(data, size)});
  return AAI_STATUS_OK;
}

void fill_event(const ScriptedWebSocketEvent& scripted, aai_websocket_event_t* event) {
  event->kind = scripted.kind;
  event->data = scripted.data.c_str();
  event->size = scripted.data.size();
  event->close_code = scripted.close_code;
  event->close_reason = scripted.close_reason.c_str();
}

aai_status_t websocket_receive(const aai_host_t* host, aai_websocket_t*, uint32_t timeout_ms,
                               aai_websocket_event_t* event) {
  FakeHost& self = fake(host);
  self.websocket_receive_timeouts.push_back(timeout_ms);
  if (self.on_websocket_receive) {
    self.on_websocket_receive(timeout_ms);
  }
  if (self.websocket_final_event) {
    fill_event(*self.websocket_final_event, event);
    return AAI_STATUS_OK;
  }
  if (!self.websocket_events.empty() &&
      self.websocket_sent.size() >= self.websocket_events.front().after_sent_messages) {
    self.websocket_current_event = std::move(self.websocket_events.front());
    self.websocket_events.pop_front();
    if (self.websocket_current_event.kind == AAI_WEBSOCKET_CLOSED) {
      self.websocket_final_event = self.websocket_current_event;
    }
    fill_event(self.websocket_current_event, event);
    return AAI_STATUS_OK;
  }
  if (self.websocket_closed_by_plugin && self.websocket_events.empty()) {
    self.websocket_final_event =
        ScriptedWebSocketEvent{AAI_WEBSOCKET_CLOSED, "", self.websocket_plugin_close_code, "", 0};
    fill_event(*self.websocket_final_event, event);
    return AAI_STATUS_OK;
  }
  self.websocket_current_event = ScriptedWebSocketEvent{AAI_WEBSOCKET_TIMEOUT, "", 0, "", 0};
  fill_event(self.websocket_current_event, event);
  return AAI_STATUS_OK;
}

aai_status_t websocket_close(const aai_host_t* host, aai_websocket_t*, int32_t code, const char*) {
  FakeHost& self = fake(host);
  self.websocket_close_codes.push_back(code);
  self.websocket_closed_by_plugin = true;
  self.websocket_plugin_close_code = code;
  return AAI_STATUS_OK;
}

void websocket_release(const aai_host_t* host, aai_websocket_t* socket) {
  if (socket != nullptr) {
    FakeHost& self = fake(host);
    ++self.websocket_releases;
    self.websocket_open = false;
  }
}

void websocket_last_error(const aai_host_t* host, int32_t* exit_code, const char** type,
                          const char** message, const char** suggestion) {
  FakeHost& self = fake(host);
  *exit_code = self.last_error_exit_code;
  *type = self.last_error_type.c_str();
  *message = self.last_error_message.c_str();
  *suggestion = self.last_error_suggestion.empty() ? nullptr : self.last_error_suggestion.c_str();
}

const aai_websocket_service_t kWebSocket = {sizeof(aai_websocket_service_t),
                                            websocket_connect,
                                            websocket_send,
                                            websocket_receive,
                                            websocket_close,
                                            websocket_release,
                                            websocket_last_error};

}  // namespace

const aai_websocket_service_t* fake_websocket_service() {
  return &kWebSocket;
}

void FakeHost::script_text(std::string text, size_t after_sent_messages) {
  websocket_events.push_back(
      ScriptedWebSocketEvent{AAI_WEBSOCKET_TEXT, std::move(text), 0, "", after_sent_messages});
}

void FakeHost::script_close(int32_t code, std::string reason, size_t after_sent_messages) {
  websocket_events.push_back(ScriptedWebSocketEvent{AAI_WEBSOCKET_CLOSED, "", code,
                                                    std::move(reason), after_sent_messages});
}

}  // namespace aai::testing
