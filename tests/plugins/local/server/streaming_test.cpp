// aai-local-server's Streaming v3 API as a process: /v3/ws and /v3/token over real sockets.
#include <chrono>
#include <cmath>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <aai_audio/audio_file_decoder.hpp>
#include <aai_local/wer.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include "server_process.hpp"

namespace aai::local::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using asio::ip::tcp;
using nlohmann::json;

const char* const kClip =
    "/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0870.wav";
const char* const kClipText =
    "and mister john dashwood had then leisure to consider how much there might be prudently in "
    "his power to do for them";
constexpr size_t kFrameSamples = 1600;  // 100 ms at 16 kHz.

std::vector<int16_t> read_clip() {
  audio::AudioFileDecoder decoder(kClip);
  std::vector<int16_t> samples;
  std::vector<int16_t> block;
  while (decoder.read_block(block)) {
    samples.insert(samples.end(), block.begin(), block.end());
  }
  return samples;
}

// What a session sent: its text messages, and the close code and reason.
struct SessionResult {
  std::vector<json> messages;
  int close_code = 0;
  std::string close_reason;
};

class StreamClient {
 public:
  // Connects to /v3/ws + `query` and returns 101 once the session is open. A declined upgrade
  // returns another value; upgrade() reads its status and body.
  unsigned connect(uint16_t port, const std::string& query, const std::string& authorization) {
    tcp::resolver resolver(io_);
    asio::connect(websocket_.next_layer(), resolver.resolve("127.0.0.1", std::to_string(port)));
    websocket_.set_option(
        websocket::stream_base::decorator([authorization](websocket::request_type& request) {
          if (!authorization.empty()) {
            request.set(beast::http::field::authorization, authorization);
          }
        }));
    websocket::response_type response;
    beast::error_code error;
    websocket_.handshake(response, "127.0.0.1", "/v3/ws" + query, error);
    return response.result_int();
  }

  void send_samples(const int16_t* samples, size_t count) {
    websocket_.binary(true);
    websocket_.write(asio::buffer(samples, count * sizeof(int16_t)));
  }

  // Sends `samples` in 100 ms frames at real time.
  void stream(const std::vector<int16_t>& samples) {
    auto next = std::chrono::steady_clock::now();
    for (size_t offset = 0; offset < samples.size(); offset += kFrameSamples) {
      send_samples(samples.data() + offset, std::min(kFrameSamples, samples.size() - offset));
      next += std::chrono::milliseconds(100);
      std::this_thread::sleep_until(next);
    }
  }

  void send_text(const std::string& text) {
    websocket_.text(true);
    websocket_.write(asio::buffer(text));
  }

  // Reads one message; nullopt once the server has closed the session.
  std::optional<json> read() {
    beast::flat_buffer buffer;
    beast::error_code error;
    websocket_.read(buffer, error);
    if (error) {
      result_.close_code = websocket_.reason().code;
      result_.close_reason = std::string(websocket_.reason().reason.c_str());
      return std::nullopt;
    }
    json message = json::parse(beast::buffers_to_string(buffer.data()));
    result_.messages.push_back(message);
    return message;
  }

  // Reads until the server closes, and returns everything the session sent.
  SessionResult read_to_close() {
    while (read()) {
    }
    return result_;
  }

 private:
  asio::io_context io_;
  websocket::stream<tcp::socket> websocket_{io_};
  SessionResult result_;
};

// Sends a WebSocket upgrade request as plain HTTP, to read a declined upgrade's status and body.
HttpResult upgrade(ServerProcess& server, const std::string& target,
                   const std::string& authorization) {
  Headers headers = {{"Connection", "Upgrade"},
                     {"Upgrade", "websocket"},
                     {"Sec-WebSocket-Version", "13"},
                     {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="}};
  if (!authorization.empty()) {
    headers.emplace_back("Authorization", authorization);
  }
  return server.send("GET", target, "", headers);
}

void expect_unauthorized(const HttpResult& result) {
  EXPECT_EQ(result.status, 401u);
  EXPECT_EQ(result.body, R"({"error":"Authentication error, API token missing/invalid"})");
}

std::string final_text(const SessionResult& result, bool formatted) {
  std::string text;
  for (const json& message : result.messages) {
    if (message["type"] == "Turn" && message["end_of_turn"] == true &&
        message["turn_is_formatted"] == formatted) {
      text += message["transcript"].get<std::string>() + " ";
    }
  }
  return text;
}

class StreamingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    data_dir_ = std::filesystem::temp_directory_path() /
                ("aai-stream-test-" + std::to_string(getpid()) + "-" + info->name());
    std::filesystem::create_directories(data_dir_);
  }

  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(data_dir_);
    std::filesystem::remove(data_dir_.string() + "-server.log");
  }

  ServerProcess& start(std::vector<std::string> arguments = {}) {
    server_ = std::make_unique<ServerProcess>(data_dir_, std::move(arguments));
    return *server_;
  }

  // Opens a session with `query` and expects it to end with an Error and close `code`.
  void expect_error(const std::string& query, int code, const std::string& message,
                    const std::function<void(StreamClient&)>& act = {}) {
    StreamClient client;
    ASSERT_EQ(client.connect(server_->port(), query, "test-key"), 101u) << query;
    if (act) {
      act(client);
    }
    SessionResult result = client.read_to_close();
    ASSERT_FALSE(result.messages.empty()) << query;
    const json& last = result.messages.back();
    EXPECT_EQ(last["type"], "Error") << query;
    EXPECT_EQ(last["error_code"], code) << query;
    EXPECT_EQ(last["error"], message) << query;
    EXPECT_EQ(result.close_code, code) << query;
    EXPECT_EQ(result.close_reason, message.substr(0, 123)) << query;
  }

  std::filesystem::path data_dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(StreamingTest, StreamsRecordingTurnByTurn) {
  ServerProcess& server = start();
  const std::vector<int16_t> samples = read_clip();
  StreamClient client;
  ASSERT_EQ(client.connect(server.port(), "?sample_rate=16000&format_turns=true", "test-key"),
            101u);
  const auto started = std::chrono::steady_clock::now();
  client.stream(samples);
  client.send_text(R"({"type":"Terminate"})");
  SessionResult result = client.read_to_close();
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  ASSERT_GE(result.messages.size(), 3u);
  EXPECT_EQ(result.messages.front()["type"], "Begin");
  EXPECT_EQ(result.messages.front()["id"].get<std::string>().size(), 36u);
  size_t partials = 0;
  for (const json& message : result.messages) {
    if (message["type"] == "Turn" && message["end_of_turn"] == false) {
      ++partials;
    }
  }
  EXPECT_GT(partials, 0u);
  const std::string text = final_text(result, false);
  EXPECT_LE(word_error_rate(kClipText, text), 0.5) << text;
  const std::string formatted = final_text(result, true);
  ASSERT_FALSE(formatted.empty());
  EXPECT_TRUE(std::isupper(static_cast<unsigned char>(formatted.front()))) << formatted;
  EXPECT_EQ(formatted.substr(formatted.size() - 2), ". ") << formatted;
  const json& termination = result.messages.back();
  EXPECT_EQ(termination["type"], "Termination");
  EXPECT_EQ(termination["audio_duration_seconds"], std::lround(samples.size() / 16000.0));
  EXPECT_NEAR(termination["session_duration_seconds"].get<double>(), elapsed, 1.5);
  EXPECT_EQ(result.close_code, 1000);
  // The server logs the session once the closing handshake is over, just after the client's.
  std::string log;
  for (int attempt = 0; attempt < 40; ++attempt) {
    log = server.log();
    if (log.find("(Terminate)") != std::string::npos) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_NE(log.find("WS /v3/ws session"), std::string::npos) << log;
  EXPECT_NE(log.find("ended (Terminate)"), std::string::npos) << log;
}

TEST_F(StreamingTest, ServesThreeSessionsAtOnce) {
  ServerProcess& server = start();
  const std::vector<int16_t> samples = read_clip();
  std::vector<SessionResult> results(3);
  std::vector<std::thread> threads;
  for (SessionResult& result : results) {
    threads.emplace_back([&server, &samples, &result] {
      StreamClient client;
      if (client.connect(server.port(), "", "test-key") != 101u) {
        return;
      }
      client.stream(samples);
      client.send_text(R"({"type":"Terminate"})");
      result = client.read_to_close();
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  for (const SessionResult& result : results) {
    EXPECT_EQ(result.close_code, 1000);
    ASSERT_FALSE(result.messages.empty());
    EXPECT_EQ(result.messages.back()["type"], "Termination");
    EXPECT_LE(word_error_rate(kClipText, final_text(result, false)), 0.5);
  }
}

TEST_F(StreamingTest, ForceEndpointEndsTurn) {
  ServerProcess& server = start();
  const std::vector<int16_t> samples = read_clip();
  StreamClient client;
  ASSERT_EQ(client.connect(server.port(), "", "test-key"), 101u);
  // The first 3 s set the recogniser's cepstral mean; speech follows.
  std::vector<int16_t> opening(samples.begin(), samples.begin() + 4 * 16000);
  client.stream(opening);
  client.send_text(R"({"type":"ForceEndpoint"})");
  bool ended = false;
  while (auto message = client.read()) {
    if ((*message)["type"] == "Turn" && (*message)["end_of_turn"] == true) {
      ended = true;
      break;
    }
  }
  EXPECT_TRUE(ended);
  client.send_text(R"({"type":"Terminate"})");
  SessionResult result = client.read_to_close();
  EXPECT_EQ(result.close_code, 1000);
}

TEST_F(StreamingTest, EndsQuietSessionAfterInactivityTimeout) {
  ServerProcess& server = start();
  StreamClient client;
  ASSERT_EQ(client.connect(server.port(), "?inactivity_timeout=5", "test-key"), 101u);
  std::vector<int16_t> silence(kFrameSamples, 0);
  client.send_samples(silence.data(), silence.size());
  const auto started = std::chrono::steady_clock::now();
  SessionResult result = client.read_to_close();
  const double waited =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ASSERT_FALSE(result.messages.empty());
  EXPECT_EQ(result.messages.back()["type"], "Termination");
  EXPECT_EQ(result.close_code, 1000);
  EXPECT_GE(waited, 4.5);
  EXPECT_LT(waited, 8.0);
}

TEST_F(StreamingTest, RejectsBadQueryParameters) {
  start();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"?sample_rate=44", "sample_rate: must be an integer between 8000 and 48000"},
      {"?sample_rate=abc", "sample_rate: must be an integer between 8000 and 48000"},
      {"?encoding=opus", "encoding: must be pcm_s16le or pcm_mulaw"},
      {"?speech_model=best",
       "speech_model: must be one of universal-streaming-english, "
       "universal-streaming-multilingual, whisper-rt, u3-rt-pro, universal-3-5-pro"},
      {"?format_turns=yes", "format_turns: must be true or false"},
      {"?speaker_labels=1", "speaker_labels: must be true or false"},
      {"?language_detection=no", "language_detection: must be true or false"},
      {"?end_of_turn_confidence_threshold=2",
       "end_of_turn_confidence_threshold: must be a number between 0 and 1"},
      {"?vad_threshold=-0.1", "vad_threshold: must be a number between 0 and 1"},
      {"?min_turn_silence=x", "min_turn_silence: must be an integer between 0 and 60000"},
      {"?max_turn_silence=70000", "max_turn_silence: must be an integer between 0 and 60000"},
      {"?min_turn_silence=900&max_turn_silence=500",
       "min_turn_silence: must not be greater than max_turn_silence (500)"},
      {"?keyterms_prompt=%5B1%5D", "keyterms_prompt: must be a JSON array of strings"},
      {"?max_speakers=11", "max_speakers: must be an integer between 1 and 10"},
      {"?inactivity_timeout=4", "inactivity_timeout: must be an integer between 5 and 3600"},
  };
  for (const auto& [query, why] : cases) {
    expect_error(query, 3006, "Invalid Query Parameter: " + why);
  }
}

TEST_F(StreamingTest, RejectsShortFrame) {
  start();
  expect_error("", 3007, "Input duration violation: 20 ms. Expected between 50 and 1000 ms",
               [](StreamClient& client) {
                 std::vector<int16_t> frame(320, 0);
                 client.send_samples(frame.data(), frame.size());
               });
}

TEST_F(StreamingTest, RejectsAudioFasterThanRealTime) {
  start();
  StreamClient client;
  ASSERT_EQ(client.connect(server_->port(), "", "test-key"), 101u);
  std::vector<int16_t> frame(16000, 0);  // 1 s per frame, sent without pause.
  for (int i = 0; i < 5; ++i) {
    client.send_samples(frame.data(), frame.size());
  }
  SessionResult result = client.read_to_close();
  ASSERT_FALSE(result.messages.empty());
  const json& last = result.messages.back();
  EXPECT_EQ(last["error_code"], 3007);
  EXPECT_EQ(last["error"].get<std::string>().rfind("Audio Transmission Rate Exceeded: Received 3.0 "
                                                   "sec. audio in 0.",
                                                   0),
            0u)
      << last;
  EXPECT_EQ(result.close_code, 3007);
}

TEST_F(StreamingTest, RejectsBadMessages) {
  start();
  expect_error("", 3006, "Invalid JSON: {oops",
               [](StreamClient& client) { client.send_text("{oops"); });
  expect_error("", 3006, "Invalid Message Type: Hello",
               [](StreamClient& client) { client.send_text(R"({"type":"Hello"})"); });
  expect_error("", 3006,
               "Invalid Message: UpdateConfiguration: max_turn_silence: must be an integer "
               "between 0 and 60000",
               [](StreamClient& client) {
                 client.send_text(R"({"type":"UpdateConfiguration","max_turn_silence":-5})");
               });
}

TEST_F(StreamingTest, RejectsMissingOrWrongKey) {
  ServerProcess& server = start({"--api-key", "right-key"});
  expect_unauthorized(upgrade(server, "/v3/ws", ""));
  expect_unauthorized(upgrade(server, "/v3/ws", "wrong-key"));
  expect_unauthorized(upgrade(server, "/v3/ws?token=made-up", ""));
  EXPECT_EQ(upgrade(server, "/v3/other", "right-key").status, 404u);
  StreamClient right;
  EXPECT_EQ(right.connect(server.port(), "", "right-key"), 101u);
}

TEST_F(StreamingTest, TemporaryTokenOpensOneSession) {
  ServerProcess& server = start({"--api-key", "right-key"});
  HttpResult issued = server.request("GET", "/v3/token?expires_in_seconds=60", "", "right-key");
  ASSERT_EQ(issued.status, 200u) << issued.body;
  const json body = json::parse(issued.body);
  EXPECT_EQ(body["expires_in_seconds"], 60);
  const std::string token = body["token"].get<std::string>();

  StreamClient first;
  ASSERT_EQ(first.connect(server.port(), "?token=" + token, ""), 101u);
  auto begin = first.read();
  ASSERT_TRUE(begin.has_value());
  EXPECT_EQ((*begin)["type"], "Begin");
  expect_unauthorized(upgrade(server, "/v3/ws?token=" + token, ""));

  HttpResult short_lived = server.request("GET", "/v3/token?expires_in_seconds=1", "", "right-key");
  const std::string expiring = json::parse(short_lived.body)["token"].get<std::string>();
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  expect_unauthorized(upgrade(server, "/v3/ws?token=" + expiring, ""));
}

TEST_F(StreamingTest, TokenRequestChecksParameters) {
  ServerProcess& server = start({"--api-key", "right-key"});
  EXPECT_EQ(server.request("GET", "/v3/token?expires_in_seconds=60", "", "").status, 401u);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/v3/token",
       "expires_in_seconds is required: an integer number of seconds between 1 and 600."},
      {"/v3/token?expires_in_seconds=601",
       "expires_in_seconds must be an integer between 1 and 600, got '601'."},
      {"/v3/token?expires_in_seconds=60&max_session_duration_seconds=59",
       "max_session_duration_seconds must be an integer between 60 and 10800, got '59'."},
  };
  for (const auto& [target, message] : cases) {
    HttpResult result = server.request("GET", target, "", "right-key");
    EXPECT_EQ(result.status, 400u) << target;
    EXPECT_EQ(json::parse(result.body)["error"], message) << target;
  }
}

}  // namespace
}  // namespace aai::local::testing
