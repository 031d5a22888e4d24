// The HTTP transport with TransportRequest::ca_file against a TLS server on 127.0.0.1 whose
// certificate comes from a CA the test makes, as SSL_CERT_FILE supplies a company CA.
#include "host/net/cpprest_http_transport.hpp"

#include <gtest/gtest.h>

#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "test_ca.hpp"

namespace aai::host {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;

// Responds to every HTTPS request with 200 "secure", one connection at a time.
class LoopbackTlsServer {
 public:
  explicit LoopbackTlsServer(const aai::testing::PemPair& certificate)
      : tls_(asio::ssl::context::tls_server),
        acceptor_(io_context_, {asio::ip::address_v4::loopback(), 0}) {
    tls_.use_certificate_chain(asio::buffer(certificate.certificate_pem));
    tls_.use_private_key(asio::buffer(certificate.private_key_pem), asio::ssl::context::pem);
    thread_ = std::thread([this] { serve(); });
  }

  ~LoopbackTlsServer() {
    stopping_ = true;
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    thread_.join();
  }

  std::string url(const std::string& target) const {
    return "https://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + target;
  }

 private:
  void serve() {
    while (!stopping_) {
      tcp::socket socket(io_context_);
      boost::system::error_code error;
      acceptor_.accept(socket, error);
      if (error) {
        return;
      }
      asio::ssl::stream<tcp::socket> stream(std::move(socket), tls_);
      stream.handshake(asio::ssl::stream_base::server, error);
      if (error) {
        continue;
      }
      boost::beast::flat_buffer buffer;
      http::request<http::string_body> request;
      http::read(stream, buffer, request, error);
      if (error) {
        continue;
      }
      http::response<http::string_body> response(http::status::ok, 11);
      response.body() = "secure";
      response.keep_alive(false);
      response.prepare_payload();
      http::write(stream, response, error);
      stream.shutdown(error);
    }
  }

  asio::io_context io_context_;
  asio::ssl::context tls_;
  tcp::acceptor acceptor_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

class TlsTransportTest : public ::testing::Test {
 protected:
  TlsTransportTest() : server_(ca_.issue_server_certificate({"127.0.0.1"})) {
    folder_ = std::filesystem::temp_directory_path() /
              ("aai-tls-test-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(folder_);
    ca_file_ = ca_.write_certificate(folder_ / "company-ca.pem");
  }
  ~TlsTransportTest() override { std::filesystem::remove_all(folder_); }

  aai::testing::TestCa ca_;
  LoopbackTlsServer server_;
  std::filesystem::path folder_;
  std::filesystem::path ca_file_;
};

TEST_F(TlsTransportTest, TrustsServerSignedByCaFile) {
  CpprestHttpTransport transport;
  TransportRequest request;
  request.url = server_.url("/v2/transcript");
  request.ca_file = ca_file_;

  TransportResponse response = transport.send(request);

  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "secure");
}

TEST_F(TlsTransportTest, RejectsServerWithoutCaFile) {
  CpprestHttpTransport transport;
  TransportRequest request;
  request.url = server_.url("/v2/transcript");

  try {
    transport.send(request);
    ADD_FAILURE() << "expected a TransportError";
  } catch (const TransportError& error) {
    EXPECT_EQ(error.kind(), TransportError::Kind::kTlsFailed) << error.what();
    EXPECT_EQ(std::string(error.what()).rfind("The TLS handshake with " + request.url, 0), 0u)
        << error.what();
    EXPECT_NE(std::string(error.what()).find("certificate verify failed"), std::string::npos)
        << error.what();
  }
}

}  // namespace
}  // namespace aai::host
