// aai-local-server --faults over real connections: resets, error shares, delays, failed
// transcripts, and the GET /local/stats counters.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <memory>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <nlohmann/json.hpp>

#include "server_process.hpp"

namespace aai::local::testing {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using nlohmann::json;

// What a raw client saw after sending its request.
struct RawOutcome {
  boost::system::error_code write_error;
  boost::system::error_code read_error;
  std::string received;
};

// Sends `head` and then `body` in 16 KiB pieces on a fresh connection, stopping at the first
// write error, then reads until the connection ends.
RawOutcome send_raw(uint16_t port, const std::string& head, const std::string& body) {
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  RawOutcome outcome;
  asio::write(socket, asio::buffer(head), outcome.write_error);
  for (size_t offset = 0; offset < body.size() && !outcome.write_error; offset += 16 * 1024) {
    asio::write(
        socket,
        asio::buffer(body.data() + offset, std::min<size_t>(16 * 1024, body.size() - offset)),
        outcome.write_error);
    // Gives the server time to read part of the body and reset the connection.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::array<char, 4096> chunk;
  for (;;) {
    size_t size = socket.read_some(asio::buffer(chunk), outcome.read_error);
    outcome.received.append(chunk.data(), size);
    if (outcome.read_error) {
      break;
    }
  }
  return outcome;
}

bool was_reset(const RawOutcome& outcome) {
  return outcome.write_error == asio::error::connection_reset ||
         outcome.write_error == asio::error::broken_pipe ||
         outcome.read_error == asio::error::connection_reset;
}

class FaultsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    data_dir_ = std::filesystem::temp_directory_path() /
                ("aai-local-faults-test-" + std::to_string(getpid()) + "-" + info->name());
    std::filesystem::remove_all(data_dir_);
    std::filesystem::create_directories(data_dir_);
  }

  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(data_dir_);
    std::filesystem::remove(data_dir_.string() + "-server.log");
  }

  ServerProcess& start(std::vector<std::string> arguments) {
    server_ = std::make_unique<ServerProcess>(data_dir_, std::move(arguments));
    return *server_;
  }

  json stats() {
    HttpResult result = server_->request("GET", "/local/stats", {}, "");
    EXPECT_EQ(result.status, 200U) << result.body;
    return json::parse(result.body);
  }

  json wait_until_done(const std::string& id) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
    json transcript;
    while (std::chrono::steady_clock::now() < deadline) {
      transcript = json::parse(server_->request("GET", "/v2/transcript/" + id).body);
      if (transcript["status"] == "completed" || transcript["status"] == "error") {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return transcript;
  }

  std::filesystem::path data_dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(FaultsTest, ResetsUploadMidBody) {
  ServerProcess& server = start({"--faults", "/v2/upload=reset@100%", "--faults-seed", "1"});
  const std::string body(1 << 20, 'a');
  const std::string head =
      "POST /v2/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: k\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n";

  RawOutcome outcome = send_raw(server.port(), head, body);
  json counters = stats();
  HttpResult after = server.request("GET", "/v2/transcript");

  EXPECT_TRUE(was_reset(outcome)) << "write: " << outcome.write_error.message()
                                  << ", read: " << outcome.read_error.message();
  EXPECT_EQ(outcome.received, "");
  EXPECT_EQ(counters["uploads"], 0);
  EXPECT_EQ(counters["faults"]["reset"], 1);
  EXPECT_TRUE(std::filesystem::is_empty(data_dir_ / "uploads"));
  EXPECT_EQ(after.status, 200U);
  EXPECT_NE(server.log().find("POST /v2/upload reset by --faults after "), std::string::npos)
      << server.log();
}

TEST_F(FaultsTest, ResetsPollsButNotCreates) {
  ServerProcess& server =
      start({"--faults", "GET /v2/transcript/=reset@100%", "--faults-seed", "1"});

  HttpResult created =
      server.request("POST", "/v2/transcript", R"({"audio_url":"https://example.com/a.mp3"})");
  const std::string id = json::parse(created.body)["id"];
  RawOutcome poll = send_raw(
      server.port(),
      "GET /v2/transcript/" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: k\r\n\r\n", "");
  HttpResult list = server.request("GET", "/v2/transcript");

  EXPECT_EQ(created.status, 200U) << created.body;
  EXPECT_EQ(poll.read_error, asio::error::connection_reset) << poll.read_error.message();
  EXPECT_EQ(poll.received, "");
  EXPECT_EQ(list.status, 200U);
  EXPECT_EQ(stats()["transcripts_created"], 1);
}

TEST_F(FaultsTest, FailsShareOfRequests) {
  ServerProcess& server = start({"--faults", "/v2/transcript=503@50%", "--faults-seed", "7"});

  int failed = 0;
  for (int i = 0; i < 200; ++i) {
    HttpResult result = server.request("GET", "/v2/transcript");
    if (result.status == 503U) {
      ++failed;
      EXPECT_EQ(json::parse(result.body)["error"],
                "HTTP 503 (Service Unavailable) injected by the emulator's --faults option.");
    } else {
      EXPECT_EQ(result.status, 200U);
    }
  }

  EXPECT_GT(failed, 60);
  EXPECT_LT(failed, 140);
  EXPECT_EQ(stats()["faults"]["status"], failed);
}

TEST_F(FaultsTest, RepeatsChoicesWithSameSeed) {
  std::vector<unsigned> statuses[2];
  for (auto& run : statuses) {
    ServerProcess& server = start({"--faults", "/v2/transcript=503@50%", "--faults-seed", "99"});
    for (int i = 0; i < 20; ++i) {
      run.push_back(server.request("GET", "/v2/transcript").status);
    }
    server_.reset();
  }

  EXPECT_EQ(statuses[0], statuses[1]);
}

TEST_F(FaultsTest, LogsRandomSeed) {
  ServerProcess& server = start({"--faults", "/v2/transcript=503@50%"});

  const std::string log = server.log();
  const size_t seed_at = log.find("--faults seed ");

  ASSERT_NE(seed_at, std::string::npos) << log;
  EXPECT_NE(log.find(" (random; pass --faults-seed ", seed_at), std::string::npos) << log;
}

TEST_F(FaultsTest, DelaysWithoutBlockingOthers) {
  ServerProcess& server = start({"--faults", "/v2/transcript=delay:800"});

  auto started = std::chrono::steady_clock::now();
  auto delayed =
      std::async(std::launch::async, [&server] { return server.request("GET", "/v2/transcript"); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  HttpResult other = server.request("GET", "/");
  auto other_elapsed = std::chrono::steady_clock::now() - started;
  HttpResult slow = delayed.get();
  auto slow_elapsed = std::chrono::steady_clock::now() - started;

  EXPECT_EQ(other.status, 200U);
  EXPECT_LT(other_elapsed, std::chrono::milliseconds(700));
  EXPECT_EQ(slow.status, 200U);
  EXPECT_GE(slow_elapsed, std::chrono::milliseconds(800));
  EXPECT_EQ(stats()["faults"]["delay"], 1);
}

TEST_F(FaultsTest, EndsTranscriptInError) {
  ServerProcess& server = start({"--faults", "transcripts=error@100%", "--faults-seed", "3"});

  HttpResult upload = server.request("POST", "/v2/upload", "any bytes");
  const std::string upload_url = json::parse(upload.body)["upload_url"];
  HttpResult created =
      server.request("POST", "/v2/transcript", json{{"audio_url", upload_url}}.dump());
  json done = wait_until_done(json::parse(created.body)["id"]);
  json counters = stats();

  EXPECT_EQ(json::parse(created.body)["status"], "queued");
  EXPECT_EQ(done["status"], "error");
  EXPECT_EQ(done["error"], "Injected fault: the transcription failed.");
  EXPECT_EQ(counters["uploads"], 1);
  EXPECT_EQ(counters["transcripts_created"], 1);
  EXPECT_EQ(counters["faults"]["transcript_error"], 1);
}

TEST_F(FaultsTest, ServesStatsWithoutKeyOrFaults) {
  ServerProcess& server = start({"--api-key", "secret", "--faults", "/=503@100%,/=reset@100%"});

  HttpResult result = server.request("GET", "/local/stats", {}, "");

  EXPECT_EQ(result.status, 200U);
  EXPECT_EQ(json::parse(result.body),
            json::parse(R"({"transcripts_created": 0, "uploads": 0, "faults": )"
                        R"({"status": 0, "reset": 0, "delay": 0, "transcript_error": 0}})"));
}

}  // namespace
}  // namespace aai::local::testing
