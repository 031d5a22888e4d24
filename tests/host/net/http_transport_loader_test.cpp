#include "host/net/http_transport.hpp"

#include <gtest/gtest.h>

#include <string>

#include "loopback_http_server.hpp"

namespace aai::host {
namespace {

using testing::LoopbackHttpServer;

TEST(HttpTransportLoaderTest, MissingLibraryNamesPath) {
  const std::filesystem::path dir = "/nonexistent/aai-lib";

  try {
    load_http_transport(dir);
    FAIL() << "load_http_transport() returned";
  } catch (const std::runtime_error& error) {
    EXPECT_EQ(std::string(error.what()),
              "Failed to load the network library \"/nonexistent/aai-lib/libaai-net.so\": "
              "/nonexistent/aai-lib/libaai-net.so: cannot open shared object file: No such file "
              "or directory");
  }
}

TEST(HttpTransportLoaderTest, LibraryWithoutFactoryNamesSymbol) {
  const std::filesystem::path dir = AAI_TEST_NET_WITHOUT_FACTORY_DIR;

  try {
    load_http_transport(dir);
    FAIL() << "load_http_transport() returned";
  } catch (const std::runtime_error& error) {
    const std::string path = (dir / "libaai-net.so").string();
    EXPECT_EQ(std::string(error.what()),
              "The network library \"" + path +
                  "\" does not export aai_net_create_http_transport: " + path +
                  ": undefined symbol: aai_net_create_http_transport");
  }
}

TEST(HttpTransportLoaderTest, LoadedTransportSendsRequests) {
  LoopbackHttpServer server([](const LoopbackHttpServer::Request&) {
    return LoopbackHttpServer::make_response(200, "pong");
  });
  auto transport = load_http_transport(AAI_TEST_NET_LIBRARY_DIR);
  TransportRequest request;
  request.url = server.url("/ping");

  const TransportResponse response = transport->send(request);

  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "pong");
}

// TransportError is thrown inside libaai-net.so, which builds with hidden visibility; this
// checks that the host can still catch it by type.
TEST(HttpTransportLoaderTest, HostCatchesErrorsFromLibrary) {
  auto transport = load_http_transport(AAI_TEST_NET_LIBRARY_DIR);
  TransportRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(testing::find_unused_port()) + "/";

  try {
    transport->send(request);
    FAIL() << "send() returned";
  } catch (const TransportError& error) {
    EXPECT_EQ(error.kind(), TransportError::Kind::kConnectionFailed);
  }
}

}  // namespace
}  // namespace aai::host
