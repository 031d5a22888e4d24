// The real aai binary with the network settings: a forward proxy on 127.0.0.1 between aai and
// the emulator, NO_PROXY, and invalid settings.
#include <gtest/gtest.h>

#include <fstream>

#include "emulator_suite.hpp"
#include "harness.hpp"
#include "loopback_forward_proxy.hpp"
#include "recordings.hpp"

namespace aai::testing {
namespace {

using aai::host::testing::LoopbackForwardProxy;

const std::filesystem::path kClip = kLibriVox / "sense_and_sensibility_01_austen_64kb-0880.wav";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class NetworkTest : public EmulatorSuite<NetworkTest> {
 protected:
  std::string emulator_authority() const {
    return "127.0.0.1:" + std::to_string(emulator_->port());
  }
};

TEST_F(NetworkTest, HttpGoesThroughProxy) {
  LoopbackForwardProxy proxy;
  sandbox_.set_env("HTTP_PROXY", proxy.url());

  auto result = aai({"transcripts", "list"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  ASSERT_GE(proxy.forward_count(), 1u);
  for (const auto& seen : proxy.seen()) {
    EXPECT_EQ(seen.target.rfind("http://" + emulator_authority() + "/", 0), 0u) << seen.target;
  }
}

TEST_F(NetworkTest, NoProxyBypassesProxy) {
  LoopbackForwardProxy proxy;
  sandbox_.set_env("http_proxy", proxy.url());
  sandbox_.set_env("no_proxy", "localhost,127.0.0.1");

  auto result = aai({"transcripts", "list"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(proxy.seen().empty());
}

TEST_F(NetworkTest, StreamTunnelsThroughConnect) {
  LoopbackForwardProxy proxy;
  sandbox_.set_env("HTTP_PROXY", proxy.url());

  auto result = aai({"stream", kClip.string(), "-o", "text"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  ASSERT_EQ(proxy.connect_count(), 1u);
  EXPECT_EQ(proxy.seen()[0].target, emulator_authority());
}

TEST_F(NetworkTest, ProxyPasswordStaysOutOfLog) {
  LoopbackForwardProxy proxy;
  sandbox_.set_env("HTTP_PROXY", "http://user:hunter2@127.0.0.1:" + std::to_string(proxy.port()));

  auto result = aai({"-vv", "transcripts", "list"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_FALSE(contains(result.err, "hunter2")) << result.err;
  EXPECT_TRUE(contains(result.err, "> Proxy-Authorization: [redacted]")) << result.err;
  ASSERT_GE(proxy.forward_count(), 1u);
  EXPECT_EQ(proxy.seen()[0].proxy_authorization, "Basic dXNlcjpodW50ZXIy");
}

TEST_F(NetworkTest, MalformedProxyNamesVariable) {
  sandbox_.set_env("HTTPS_PROXY", "socks5://user:secret@proxy.example:1080");

  auto result = aai({"transcripts", "list"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(contains(result.err,
                       "Invalid proxy URL in HTTPS_PROXY: expected "
                       "http://[USER:PASSWORD@]HOST[:PORT]."))
      << result.err;
  EXPECT_TRUE(contains(result.err, "Fix HTTPS_PROXY, or unset it to connect directly."))
      << result.err;
  EXPECT_FALSE(contains(result.err, "secret")) << result.err;
}

TEST_F(NetworkTest, InvalidTimeoutVariableNamesValue) {
  sandbox_.set_env("AAI_READ_TIMEOUT", "soon");

  auto result = aai({"transcripts", "list"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(contains(result.err,
                       "Invalid value 'soon' for AAI_READ_TIMEOUT: expected seconds "
                       "greater than 0 and at most 3600."))
      << result.err;
}

TEST_F(NetworkTest, InvalidConfigTimeoutNamesFile) {
  auto set = sandbox_.run({"config", "set", "network.connect_timeout", "0"});
  ASSERT_EQ(set.exit_code, 0) << set.err;

  auto result = aai({"transcripts", "list"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(contains(result.err, "Invalid value '0' for network.connect_timeout in " +
                                       sandbox_.config_file().string() +
                                       ": expected seconds greater than 0 and at most 3600."))
      << result.err;
  EXPECT_TRUE(contains(result.err, "aai config set network.connect_timeout 10")) << result.err;
}

TEST_F(NetworkTest, MissingCaFileNamesVariableAndPath) {
  sandbox_.set_env("SSL_CERT_FILE", "/nonexistent/company-ca.pem");

  auto result = aai({"transcripts", "list"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(contains(result.err,
                       "Failed to read the CA file '/nonexistent/company-ca.pem' "
                       "named by SSL_CERT_FILE: No such file or directory."))
      << result.err;
}

}  // namespace
}  // namespace aai::testing
