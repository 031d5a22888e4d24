// The client's TLS path with verification on: the emulator serves https and wss with a
// certificate from a certificate authority this test makes, and aai trusts that authority only
// through SSL_CERT_FILE, as a company's own authority would be trusted.
#include <filesystem>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "harness.hpp"
#include "recordings.hpp"
#include "test_ca.hpp"

namespace aai::testing {
namespace {

const std::filesystem::path kClip = kLibriVox / "sense_and_sensibility_01_austen_64kb-0880.wav";

const std::string kSuggestion =
    "Suggestion: If a company proxy or CA signs the server's certificate, point SSL_CERT_FILE at "
    "that CA's PEM file; see docs/network.md.\n";

class ClientTlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = std::make_unique<TempDir>();
    ca_ = std::make_unique<TestCa>();
    auto [certificate, key] =
        ca_->issue_server_certificate({"127.0.0.1"}).write(data_->path(), "server");
    ca_file_ = ca_->write_certificate(data_->path() / "company-ca.pem");
    emulator_ = std::make_unique<Emulator>(
        data_->path() / "emulator", "test-key",
        std::vector<std::string>{"--tls-cert", certificate.string(), "--tls-key", key.string()});
  }
  static void TearDownTestSuite() {
    emulator_.reset();
    ca_.reset();
    data_.reset();
  }

  void SetUp() override {
    sandbox_.set_env("ASSEMBLYAI_API_KEY", "test-key");
    const std::string origin = "127.0.0.1:" + std::to_string(emulator_->port());
    RunResult added =
        sandbox_.run({"env", "add", "secure", "--api-base", "https://" + origin, "--streaming-base",
                      "wss://" + origin, "--llm-gateway-base", "https://" + origin});
    ASSERT_EQ(added.exit_code, 0) << added.err;
  }

  static inline std::unique_ptr<TempDir> data_;
  static inline std::unique_ptr<TestCa> ca_;
  static inline std::filesystem::path ca_file_;
  static inline std::unique_ptr<Emulator> emulator_;
  Sandbox sandbox_;
};

TEST_F(ClientTlsTest, TranscribesWithCompanyAuthority) {
  sandbox_.set_env("SSL_CERT_FILE", ca_file_.string());

  RunResult result = sandbox_.run({"--env", "secure", "transcribe", kClip.string(), "-o", "text"});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_FALSE(result.out.empty());
}

TEST_F(ClientTlsTest, StreamsWithCompanyAuthority) {
  sandbox_.set_env("SSL_CERT_FILE", ca_file_.string());

  RunResult result = sandbox_.run({"--env", "secure", "stream", kClip.string(), "-o", "text"});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_FALSE(result.out.empty());
}

TEST_F(ClientTlsTest, RejectsUnverifiedServer) {
  // The system's authorities do not include the test's, so verification fails and nothing is
  // sent: there is no option that would skip the check.
  RunResult result = sandbox_.run({"--env", "secure", "transcribe", kClip.string()});

  EXPECT_EQ(result.exit_code, 1) << result.err;
  const std::string port = std::to_string(emulator_->port());
  EXPECT_EQ(result.err, "Error: The TLS handshake with https://127.0.0.1:" + port +
                            "/v2/upload failed: Error in SSL handshake (certificate verify "
                            "failed).\n" +
                            kSuggestion);
}

TEST_F(ClientTlsTest, RejectsUnverifiedStream) {
  RunResult result = sandbox_.run({"--env", "secure", "stream", kClip.string()});

  EXPECT_EQ(result.exit_code, 1) << result.err;
  const std::string port = std::to_string(emulator_->port());
  EXPECT_EQ(result.err, "Error: Could not connect to 127.0.0.1:" + port +
                            " (wss://127.0.0.1:" + port +
                            "/v3/ws): the TLS handshake failed (certificate verify "
                            "failed).\n" +
                            kSuggestion);
}

}  // namespace
}  // namespace aai::testing
