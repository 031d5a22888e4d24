// aai-local-server with --tls-cert and --tls-key: HTTPS and WSS checked by verifying clients.
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <nlohmann/json.hpp>

#include "server_process.hpp"
#include "test_ca.hpp"

namespace aai::local::testing {
namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using nlohmann::json;

using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// A client context that trusts only `ca_pem` and checks the peer's certificate chain.
ssl::context verifying_context(const std::string& ca_pem) {
  ssl::context context(ssl::context::tls_client);
  context.add_certificate_authority(asio::buffer(ca_pem));
  context.set_verify_mode(ssl::verify_peer);
  return context;
}

// Connects to 127.0.0.1:`port` and runs the TLS handshake, requiring a certificate for the IP
// address 127.0.0.1. Returns the handshake's error.
beast::error_code connect_tls(TlsStream& stream, uint16_t port) {
  X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(stream.native_handle()), "127.0.0.1");
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(10));
  beast::get_lowest_layer(stream).connect(
      asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  beast::error_code error;
  stream.handshake(ssl::stream_base::client, error);
  return error;
}

class TlsTest : public ::testing::Test {
 public:
  // Returns the body of GET `target`, sent by a client that trusts only this test's CA.
  std::string https_get(uint16_t port, const std::string& target) {
    asio::io_context io;
    ssl::context context = verifying_context(ca_.certificate_pem());
    TlsStream stream(io, context);
    beast::error_code error = connect_tls(stream, port);
    if (error) {
      ADD_FAILURE() << "TLS handshake failed: " << error.message();
      return "{}";
    }
    http::request<http::empty_body> request{http::verb::get, target, 11};
    request.set(http::field::host, "127.0.0.1");
    http::write(stream, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    return response.body();
  }

 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    data_dir_ = std::filesystem::temp_directory_path() /
                ("aai-local-tls-test-" + std::to_string(getpid()) + "-" + info->name());
    std::filesystem::remove_all(data_dir_);
    std::filesystem::create_directories(data_dir_ / "data");
    auto [certificate, key] =
        ca_.issue_server_certificate({"127.0.0.1"}, {"localhost"}).write(data_dir_, "server");
    certificate_ = certificate;
    key_ = key;
  }

  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(data_dir_);
  }

  ServerProcess& start(std::vector<std::string> extra_arguments = {}) {
    std::vector<std::string> arguments = {"--tls-cert", certificate_.string(), "--tls-key",
                                          key_.string()};
    arguments.insert(arguments.end(), extra_arguments.begin(), extra_arguments.end());
    server_ = std::make_unique<ServerProcess>(data_dir_ / "data", std::move(arguments));
    return *server_;
  }

  aai::testing::TestCa ca_;
  std::filesystem::path data_dir_;
  std::filesystem::path certificate_;
  std::filesystem::path key_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(TlsTest, ServesHttpsToVerifyingClient) {
  ServerProcess& server = start();
  asio::io_context io;
  ssl::context context = verifying_context(ca_.certificate_pem());
  TlsStream stream(io, context);

  ASSERT_FALSE(connect_tls(stream, server.port()));
  http::request<http::string_body> request{http::verb::post, "/v2/upload", 11};
  request.set(http::field::host, "127.0.0.1");
  request.set(http::field::authorization, "test-key");
  request.body() = "not audio, but stored all the same";
  request.prepare_payload();
  http::write(stream, request);
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(stream, buffer, response);

  EXPECT_EQ(response.result_int(), 200U) << response.body();
  const std::string upload_url = json::parse(response.body())["upload_url"];
  const std::string prefix = "https://127.0.0.1:" + std::to_string(server.port()) + "/v2/upload/";
  EXPECT_EQ(upload_url.rfind(prefix, 0), 0U) << upload_url;
}

TEST_F(TlsTest, ResetsUploadMidBody) {
  ServerProcess& server = start({"--faults", "/v2/upload=reset@100%"});
  asio::io_context io;
  ssl::context context = verifying_context(ca_.certificate_pem());
  TlsStream stream(io, context);
  ASSERT_FALSE(connect_tls(stream, server.port()));
  const std::string head =
      "POST /v2/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: k\r\n"
      "Content-Length: 1048576\r\n\r\n";
  const std::string piece(16 * 1024, 'a');

  beast::error_code error;
  asio::write(stream, asio::buffer(head), error);
  for (int i = 0; i < 64 && !error; ++i) {
    asio::write(stream, asio::buffer(piece), error);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (!error) {
    std::array<char, 1024> chunk;
    stream.read_some(asio::buffer(chunk), error);
  }

  EXPECT_TRUE(error == asio::error::connection_reset || error == asio::error::broken_pipe)
      << error.message();
  json counters = json::parse(https_get(server.port(), "/local/stats"));
  EXPECT_EQ(counters["uploads"], 0);
  EXPECT_EQ(counters["faults"]["reset"], 1);
}

TEST_F(TlsTest, AcceptsWssHandshake) {
  ServerProcess& server = start();
  asio::io_context io;
  ssl::context context = verifying_context(ca_.certificate_pem());
  websocket::stream<TlsStream> websocket(io, context);

  ASSERT_FALSE(connect_tls(websocket.next_layer(), server.port()));
  websocket.set_option(websocket::stream_base::decorator([](websocket::request_type& request) {
    request.set(http::field::authorization, "test-key");
  }));
  websocket::response_type handshake_response;
  beast::error_code error;
  websocket.handshake(handshake_response, "127.0.0.1", "/v3/ws?sample_rate=16000", error);
  ASSERT_FALSE(error) << error.message();
  beast::flat_buffer buffer;
  websocket.read(buffer, error);
  ASSERT_FALSE(error) << error.message();
  json begin = json::parse(beast::buffers_to_string(buffer.data()));
  websocket.text(true);
  websocket.write(asio::buffer(std::string(R"({"type":"Terminate"})")), error);

  EXPECT_EQ(handshake_response.result(), http::status::switching_protocols);
  EXPECT_EQ(begin["type"], "Begin");
  EXPECT_FALSE(error) << error.message();
}

TEST_F(TlsTest, FailsVerificationAgainstAnotherCa) {
  ServerProcess& server = start();
  aai::testing::TestCa other_ca("another test CA");
  asio::io_context io;
  ssl::context context = verifying_context(other_ca.certificate_pem());
  TlsStream stream(io, context);

  beast::error_code error = connect_tls(stream, server.port());

  ASSERT_TRUE(error);
  EXPECT_EQ(ERR_GET_REASON(static_cast<unsigned long>(error.value())),
            SSL_R_CERTIFICATE_VERIFY_FAILED)
      << error.message();
}

TEST_F(TlsTest, FailsVerificationForOtherAddress) {
  auto [certificate, key] = ca_.issue_server_certificate({"127.0.0.2"}).write(data_dir_, "other");
  certificate_ = certificate;
  key_ = key;
  ServerProcess& server = start();
  asio::io_context io;
  ssl::context context = verifying_context(ca_.certificate_pem());
  TlsStream stream(io, context);

  beast::error_code error = connect_tls(stream, server.port());

  ASSERT_TRUE(error);
  EXPECT_EQ(ERR_GET_REASON(static_cast<unsigned long>(error.value())),
            SSL_R_CERTIFICATE_VERIFY_FAILED)
      << error.message();
}

TEST_F(TlsTest, ExitsOnKeyOfAnotherCertificate) {
  auto [other_certificate, other_key] = ca_.issue_server_certificate().write(data_dir_, "other");

  auto [status, output] =
      run_server_to_exit({"--port", "0", "--data-dir", (data_dir_ / "data").string(), "--tls-cert",
                          certificate_.string(), "--tls-key", other_key.string()},
                         std::chrono::seconds(10));

  EXPECT_EQ(status, 2);
  EXPECT_EQ(output, "aai-local-server: error: The TLS key file \"" + other_key.string() +
                        "\" does not match the certificate in \"" + certificate_.string() +
                        "\". Pass the key the certificate was made for.\n");
}

TEST_F(TlsTest, ExitsOnMissingCertificate) {
  const std::filesystem::path missing = data_dir_ / "missing.pem";

  auto [status, output] =
      run_server_to_exit({"--port", "0", "--data-dir", (data_dir_ / "data").string(), "--tls-cert",
                          missing.string(), "--tls-key", key_.string()},
                         std::chrono::seconds(10));

  EXPECT_EQ(status, 2);
  EXPECT_EQ(output, "aai-local-server: error: The TLS certificate file \"" + missing.string() +
                        "\" cannot be read: No such file or directory. Pass a readable PEM file "
                        "with --tls-cert.\n");
}

TEST_F(TlsTest, ExitsOnCertificateWithoutKey) {
  auto [status, output] =
      run_server_to_exit({"--port", "0", "--data-dir", (data_dir_ / "data").string(), "--tls-cert",
                          certificate_.string()},
                         std::chrono::seconds(10));

  EXPECT_EQ(status, 2);
  EXPECT_EQ(output,
            "aai-local-server: error: --tls-cert and --tls-key go together: give both to serve "
            "HTTPS, or neither.\nRun `aai-local-server --help` to see the options.\n");
}

}  // namespace
}  // namespace aai::local::testing
