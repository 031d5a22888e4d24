#include "server/tls_context.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "test_ca.hpp"

namespace aai::local {
namespace {

class TlsContextTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = std::filesystem::temp_directory_path() /
              ("aai-tls-context-test-" + std::to_string(getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(folder_);
    auto [certificate, key] = ca_.issue_server_certificate().write(folder_, "server");
    certificate_ = certificate;
    key_ = key;
  }

  void TearDown() override { std::filesystem::remove_all(folder_); }

  std::filesystem::path write(const std::string& name, const std::string& content) {
    std::ofstream(folder_ / name) << content;
    return folder_ / name;
  }

  std::string setup_error(const std::filesystem::path& certificate,
                          const std::filesystem::path& key) {
    try {
      make_tls_context(certificate, key);
    } catch (const TlsSetupError& error) {
      return error.what();
    }
    return "no error";
  }

  aai::testing::TestCa ca_;
  std::filesystem::path folder_;
  std::filesystem::path certificate_;
  std::filesystem::path key_;
};

TEST_F(TlsContextTest, LoadsMatchingPair) {
  EXPECT_EQ(setup_error(certificate_, key_), "no error");
}

TEST_F(TlsContextTest, RejectsMissingFiles) {
  const std::filesystem::path missing = folder_ / "missing.pem";

  EXPECT_EQ(setup_error(missing, key_),
            "The TLS certificate file \"" + missing.string() +
                "\" cannot be read: No such file or directory. Pass a readable PEM file with "
                "--tls-cert.");
  EXPECT_EQ(setup_error(certificate_, missing),
            "The TLS key file \"" + missing.string() +
                "\" cannot be read: No such file or directory. Pass a readable PEM file with "
                "--tls-key.");
}

TEST_F(TlsContextTest, RejectsFilesThatAreNotPem) {
  const std::filesystem::path garbage = write("garbage.pem", "not a certificate\n");

  EXPECT_EQ(setup_error(garbage, key_),
            "The TLS certificate file \"" + garbage.string() +
                "\" does not contain a PEM certificate (BEGIN CERTIFICATE).");
  EXPECT_EQ(setup_error(certificate_, garbage),
            "The TLS key file \"" + garbage.string() +
                "\" does not contain an unencrypted PEM private key (BEGIN PRIVATE KEY).");
  EXPECT_EQ(setup_error(key_, key_),
            "The TLS certificate file \"" + key_.string() +
                "\" does not contain a PEM certificate (BEGIN CERTIFICATE).");
}

TEST_F(TlsContextTest, RejectsKeyOfAnotherCertificate) {
  auto [other_certificate, other_key] = ca_.issue_server_certificate().write(folder_, "other");

  EXPECT_EQ(setup_error(certificate_, other_key),
            "The TLS key file \"" + other_key.string() + "\" does not match the certificate in \"" +
                certificate_.string() + "\". Pass the key the certificate was made for.");
}

}  // namespace
}  // namespace aai::local
