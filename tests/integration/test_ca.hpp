// A throw-away certificate authority for TLS tests: made in memory with OpenSSL, never trusted
// outside the test that made it.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

// OpenSSL's key and certificate types, so this header needs no OpenSSL include.
struct evp_pkey_st;
struct x509_st;

namespace aai::testing {

/// A PEM certificate and its PEM private key (PKCS #8, unencrypted).
struct PemPair {
  std::string certificate_pem;
  std::string private_key_pem;

  /// Writes `<stem>.pem` and `<stem>.key` (mode 0600) in `folder` and returns their paths.
  std::pair<std::filesystem::path, std::filesystem::path> write(const std::filesystem::path& folder,
                                                                const std::string& stem) const;
};

/// A self-signed CA with an EC P-256 key, valid from one hour ago for one day. Throws
/// std::runtime_error, with OpenSSL's error text, when OpenSSL fails.
class TestCa {
 public:
  explicit TestCa(const std::string& common_name = "aai test CA");
  ~TestCa();
  TestCa(const TestCa&) = delete;
  TestCa& operator=(const TestCa&) = delete;

  /// The CA certificate, to pass to a client as its only trusted root.
  std::string certificate_pem() const;

  /// Writes the CA certificate to `path` and returns `path`.
  std::filesystem::path write_certificate(const std::filesystem::path& path) const;

  /// Issues a server certificate (EC P-256 key, serverAuth) signed by this CA, with the given
  /// IP addresses and DNS names as subject alternative names. The common name is the first IP
  /// address, else the first DNS name.
  PemPair issue_server_certificate(const std::vector<std::string>& ip_addresses = {"127.0.0.1"},
                                   const std::vector<std::string>& dns_names = {}) const;

 private:
  evp_pkey_st* key_ = nullptr;
  x509_st* certificate_ = nullptr;
};

}  // namespace aai::testing
