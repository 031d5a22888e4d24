#include "host/net/cpprest_http_transport.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>

#include "loopback_http_server.hpp"

namespace aai::host {
namespace {

using testing::LoopbackHttpServer;
using Clock = std::chrono::steady_clock;

std::string find_header(const HeaderList& headers, const std::string& name) {
  for (const auto& [header_name, value] : headers) {
    if (header_name == name) {
      return value;
    }
  }
  return "<missing>";
}

std::string random_bytes(size_t size) {
  std::mt19937 generator(42);
  std::uniform_int_distribution<int> byte(0, 255);
  std::string bytes(size, '\0');
  for (char& c : bytes) {
    c = static_cast<char>(byte(generator));
  }
  return bytes;
}

class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("aai-net-test-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

LoopbackHttpServer::Handler respond_with(unsigned status, std::string body) {
  return [status, body](const LoopbackHttpServer::Request&) {
    return LoopbackHttpServer::make_response(status, body);
  };
}

LoopbackHttpServer::Handler never_respond() {
  return [](const LoopbackHttpServer::Request&) {
    return std::optional<LoopbackHttpServer::Response>();
  };
}

TEST(CpprestHttpTransportTest, GetReturnsStatusHeadersAndBody) {
  LoopbackHttpServer server([](const LoopbackHttpServer::Request&) {
    auto response = LoopbackHttpServer::make_response(200, "hello");
    response.set("X-Reply-Id", "r-17");
    return response;
  });
  CpprestHttpTransport transport;
  TransportRequest request;
  request.url = server.url("/v2/transcript?limit=2");
  request.headers = {{"Authorization", "key-1"}, {"X-Custom", "a b c"}};

  const TransportResponse response = transport.send(request);

  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "hello");
  EXPECT_EQ(find_header(response.headers, "x-reply-id"), "r-17");
  EXPECT_EQ(find_header(response.headers, "content-length"), "5");
  const auto received = server.received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].method_string(), "GET");
  EXPECT_EQ(received[0].target(), "/v2/transcript?limit=2");
  EXPECT_EQ(received[0]["Authorization"], "key-1");
  EXPECT_EQ(received[0]["X-Custom"], "a b c");
}

TEST(CpprestHttpTransportTest, ResponseHeaderNamesAreLowerCase) {
  LoopbackHttpServer server([](const LoopbackHttpServer::Request&) {
    auto response = LoopbackHttpServer::make_response(200, "");
    response.set("X-MIXED-Case", "v");
    return response;
  });
  CpprestHttpTransport transport;
  TransportRequest request;
  request.url = server.url("/");

  const TransportResponse response = transport.send(request);

  for (const auto& [name, value] : response.headers) {
    EXPECT_EQ(name.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), std::string::npos) << name;
  }
  EXPECT_EQ(find_header(response.headers, "x-mixed-case"), "v");
}

TEST(CpprestHttpTransportTest, PostSendsMemoryBodyWithCallersContentType) {
  LoopbackHttpServer server(respond_with(201, "{\"id\":\"t1\"}"));
  CpprestHttpTransport transport;
  TransportRequest request;
  request.method = "POST";
  request.url = server.url("/v2/transcript");
  request.headers = {{"Content-Type", "application/json"}};
  request.body = "{\"audio_url\":\"x\"}";

  const TransportResponse response = transport.send(request);

  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body, "{\"id\":\"t1\"}");
  const auto received = server.received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].method_string(), "POST");
  EXPECT_EQ(received[0].body(), "{\"audio_url\":\"x\"}");
  EXPECT_EQ(received[0]["Content-Type"], "application/json");
  EXPECT_EQ(received[0]["Content-Length"], "17");
}

TEST(CpprestHttpTransportTest, SendsAnyMethod) {
  LoopbackHttpServer server(respond_with(200, ""));
  CpprestHttpTransport transport;
  TransportRequest request;
  request.method = "DELETE";
  request.url = server.url("/v2/transcript/t1");

  EXPECT_EQ(transport.send(request).status, 200);

  const auto received = server.received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].method_string(), "DELETE");
}

TEST(CpprestHttpTransportTest, FileBodyArrivesByteIdentical) {
  TempDir dir;
  const std::string content = random_bytes(3 * 1024 * 1024 + 123);
  const auto file = dir.path() / "audio.bin";
  std::ofstream(file, std::ios::binary) << content;
  LoopbackHttpServer server(respond_with(200, "{\"upload_url\":\"u\"}"));
  CpprestHttpTransport transport;
  TransportRequest request;
  request.method = "POST";
  request.url = server.url("/v2/upload");
  request.body_file = file;
  std::vector<std::pair<uint64_t, uint64_t>> progress;
  std::thread::id progress_thread;
  request.on_progress = [&](uint64_t sent, uint64_t total) {
    progress.emplace_back(sent, total);
    progress_thread = std::this_thread::get_id();
  };

  const TransportResponse response = transport.send(request);

  EXPECT_EQ(response.status, 200);
  const auto received = server.received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0]["Content-Length"], std::to_string(content.size()));
  EXPECT_EQ(received[0]["Content-Type"], "application/octet-stream");
  EXPECT_TRUE(received[0].body() == content);
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back().first, content.size());
  EXPECT_EQ(progress.back().second, content.size());
  EXPECT_EQ(progress_thread, std::this_thread::get_id());
}

TEST(CpprestHttpTransportTest, ManyFileUploadsAtOnceAllFinish) {
  // More uploads at once than cpprestsdk has pool threads: a pool thread must never be left to
  // close a file, or every one of them waits for a close that no thread is free to run.
  TempDir dir;
  const auto file = dir.path() / "clip.wav";
  std::ofstream(file, std::ios::binary) << random_bytes(64 * 1024);
  LoopbackHttpServer server(respond_with(200, "{\"upload_url\":\"u\"}"));
  CpprestHttpTransport transport;
  constexpr int kUploads = 24;
  std::atomic<int> finished = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < kUploads; ++i) {
    threads.emplace_back([&] {
      TransportRequest request;
      request.method = "POST";
      request.url = server.url("/v2/upload");
      request.body_file = file;
      if (transport.send(request).status == 200) {
        ++finished;
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }

  EXPECT_EQ(finished.load(), kUploads);
  EXPECT_EQ(server.received().size(), static_cast<size_t>(kUploads));
}

TEST(CpprestHttpTransportTest, OnBodyReceivesResponseInPieces) {
  const std::string content = random_bytes(1024 * 1024);
  LoopbackHttpServer server(respond_with(200, content));
  CpprestHttpTransport transport;
  TransportRequest request;
  request.url = server.url("/v2/transcript/t1/srt");
  std::string collected;
  int pieces = 0;
  request.on_body = [&](const char* data, size_t size) {
    collected.append(data, size);
    ++pieces;
    return true;
  };

  const TransportResponse response = transport.send(request);

  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(response.body.empty());
  EXPECT_GT(pieces, 1);
  EXPECT_TRUE(collected == content);
}

TEST(CpprestHttpTransportTest, OnBodyReturningFalseCancels) {
  LoopbackHttpServer server(respond_with(200, random_bytes(512 * 1024)));
  CpprestHttpTransport transport;
  TransportRequest request;
  request.url = server.url("/big");
  request.on_body = [](const char*, size_t) { return false; };

  try {
    transport.send(request);
    FAIL() << "send() returned";
  } catch (const TransportError& error) {
    EXPECT_EQ(error.kind(), TransportError::Kind::kCancelled);
    EXPECT_EQ(std::string(error.what()), "The request to " + request.url + " was cancelled.");
  }
}

TEST(CpprestHttpTransportTest, NotFoundKeepsResponseBody) {
  LoopbackHttpServer server(respond_with(404, "{\"error\": \"Transcript not found\"}"));
  CpprestHttpTransport transport;
  TransportRequest request;
  request.url = server.url("/v2/transcript/missing");

  const TransportResponse response = transport.send(request);

  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.body, "{\"error\": \"Transcript not found\"}");
}

TEST(CpprestHttpTransportTest, RedirectIsReturnedNotFollowed) {
  LoopbackHttpServer other_host(respond_with(200, "followed"));
  const std::string location = other_host.url("/steal");
  LoopbackHttpServer server([location](const LoopbackHttpServer::Request&) {
    auto response = LoopbackHttpServer::make_response(302, "");
    response.set("Location", location);
    return response;
  });
  CpprestHttpTransport transport;
  TransportRequest request;
  request.url = server.url("/v2/transcript");
  request.headers = {{"Authorization", "secret-key"}};

  const TransportResponse response = transport.send(request);

  EXPECT_EQ(response.status, 302);
  EXPECT_EQ(find_header(response.headers, "location"), location);
  EXPECT_TRUE(other_host.received().empty());
}

TEST(CpprestHttpTransportTest, ConnectionRefusedNamesUrl) {
  CpprestHttpTransport transport;
  TransportRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(testing::find_unused_port()) + "/v2/upload";

  try {
    transport.send(request);
    FAIL() << "send() returned";
  } catch (const TransportError& error) {
    EXPECT_EQ(error.kind(), TransportError::Kind::kConnectionFailed);
    EXPECT_EQ(std::string(error.what()),
              "Failed to connect to " + request.url +
                  ": the connection was refused or the host is unreachable.");
  }
}

TEST(CpprestHttpTransportTest, SilentServerTimesOut) {
  LoopbackHttpServer server(never_respond());
  CpprestHttpTransport transport;
  TransportRequest request;
  request.url = server.url("/v2/transcript/t1");
  request.timeout = std::chrono::milliseconds(300);
  const auto started = Clock::now();

  try {
    transport.send(request);
    FAIL() << "send() returned";
  } catch (const TransportError& error) {
    EXPECT_EQ(error.kind(), TransportError::Kind::kTimedOut);
    EXPECT_EQ(
        std::string(error.what()),
        "The request to " + request.url + " timed out: no data was sent or received for 300 ms.");
  }
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(5));
}

TEST(CpprestHttpTransportTest, CancellationStopsWaiting) {
  LoopbackHttpServer server(never_respond());
  CpprestHttpTransport transport;
  TransportRequest request;
  request.url = server.url("/v2/transcript/t1");
  const auto started = Clock::now();
  request.is_cancelled = [&] { return Clock::now() - started > std::chrono::milliseconds(200); };

  try {
    transport.send(request);
    FAIL() << "send() returned";
  } catch (const TransportError& error) {
    EXPECT_EQ(error.kind(), TransportError::Kind::kCancelled);
    EXPECT_EQ(std::string(error.what()), "The request to " + request.url + " was cancelled.");
  }
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(2));
}

TEST(CpprestHttpTransportTest, AlreadyCancelledSendsNothing) {
  LoopbackHttpServer server(respond_with(200, ""));
  CpprestHttpTransport transport;
  TransportRequest request;
  request.url = server.url("/");
  request.is_cancelled = [] { return true; };

  EXPECT_THROW(transport.send(request), TransportError);

  EXPECT_TRUE(server.received().empty());
}

TEST(CpprestHttpTransportTest, MissingBodyFileIsUnreadable) {
  TempDir dir;
  LoopbackHttpServer server(respond_with(200, ""));
  CpprestHttpTransport transport;
  TransportRequest request;
  request.method = "POST";
  request.url = server.url("/v2/upload");
  request.body_file = dir.path() / "missing.wav";

  try {
    transport.send(request);
    FAIL() << "send() returned";
  } catch (const TransportError& error) {
    EXPECT_EQ(error.kind(), TransportError::Kind::kFileUnreadable);
    EXPECT_EQ(std::string(error.what()), "Failed to read the request body file \"" +
                                             request.body_file.string() + "\" for " + request.url +
                                             ": No such file or directory.");
  }
  EXPECT_TRUE(server.received().empty());
}

TEST(CpprestHttpTransportTest, DirectoryBodyFileIsUnreadable) {
  TempDir dir;
  CpprestHttpTransport transport;
  TransportRequest request;
  request.method = "POST";
  request.url = "http://127.0.0.1:9/v2/upload";
  request.body_file = dir.path();

  try {
    transport.send(request);
    FAIL() << "send() returned";
  } catch (const TransportError& error) {
    EXPECT_EQ(error.kind(), TransportError::Kind::kFileUnreadable);
    EXPECT_EQ(std::string(error.what()), "Failed to read the request body file \"" +
                                             dir.path().string() + "\" for " + request.url +
                                             ": not a regular file.");
  }
}

TEST(CpprestHttpTransportTest, RejectsInvalidUrls) {
  CpprestHttpTransport transport;
  TransportRequest request;

  request.url = "ftp://127.0.0.1/file";
  try {
    transport.send(request);
    FAIL() << "send() returned";
  } catch (const TransportError& error) {
    EXPECT_EQ(error.kind(), TransportError::Kind::kInvalidUrl);
    EXPECT_EQ(std::string(error.what()),
              "Invalid URL \"ftp://127.0.0.1/file\": expected http:// or https:// and a host.");
  }

  request.url = "http://a b/";
  try {
    transport.send(request);
    FAIL() << "send() returned";
  } catch (const TransportError& error) {
    EXPECT_EQ(error.kind(), TransportError::Kind::kInvalidUrl);
    EXPECT_EQ(std::string(error.what()), "Invalid URL \"http://a b/\": it is not a valid URI.");
  }
}

TEST(CpprestHttpTransportTest, ReusesClientAcrossRequests) {
  LoopbackHttpServer server(respond_with(200, "ok"));
  CpprestHttpTransport transport;
  TransportRequest request;
  request.url = server.url("/poll");

  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(transport.send(request).body, "ok");
  }

  EXPECT_EQ(server.received().size(), 3u);
}

}  // namespace
}  // namespace aai::host
