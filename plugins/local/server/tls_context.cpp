#include "server/tls_context.hpp"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

namespace aai::local {

namespace {

namespace ssl = boost::asio::ssl;

std::string read_pem_file(const std::filesystem::path& file, const std::string& what,
                          const std::string& option) {
  std::ifstream stream(file, std::ios::binary);
  if (!stream) {
    throw TlsSetupError("The TLS " + what + " file \"" + file.string() +
                        "\" cannot be read: " + std::strerror(errno) + ". Pass a readable " +
                        "PEM file with " + option + ".");
  }
  std::ostringstream content;
  content << stream.rdbuf();
  return content.str();
}

using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;

Bio memory_bio(const std::string& content) {
  return Bio(BIO_new_mem_buf(content.data(), static_cast<int>(content.size())), &BIO_free);
}

}  // namespace

ssl::context make_tls_context(const std::filesystem::path& certificate_file,
                              const std::filesystem::path& key_file) {
  const std::string certificate_pem = read_pem_file(certificate_file, "certificate", "--tls-cert");
  const std::string key_pem = read_pem_file(key_file, "key", "--tls-key");

  // OpenSSL parses both first, so each problem gets its own message naming its file.
  Bio certificate_bio = memory_bio(certificate_pem);
  std::unique_ptr<X509, decltype(&X509_free)> certificate(
      PEM_read_bio_X509(certificate_bio.get(), nullptr, nullptr, nullptr), &X509_free);
  if (!certificate) {
    throw TlsSetupError("The TLS certificate file \"" + certificate_file.string() +
                        "\" does not contain a PEM certificate (BEGIN CERTIFICATE).");
  }
  Bio key_bio = memory_bio(key_pem);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
  if (!key) {
    throw TlsSetupError("The TLS key file \"" + key_file.string() +
                        "\" does not contain an unencrypted PEM private key (BEGIN PRIVATE KEY).");
  }
  if (X509_check_private_key(certificate.get(), key.get()) != 1) {
    throw TlsSetupError("The TLS key file \"" + key_file.string() +
                        "\" does not match the certificate in \"" + certificate_file.string() +
                        "\". Pass the key the certificate was made for.");
  }

  ssl::context context(ssl::context::tls_server);
  context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                      ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  boost::system::error_code error;
  context.use_certificate_chain(boost::asio::buffer(certificate_pem), error);
  if (!error) {
    context.use_private_key(boost::asio::buffer(key_pem), ssl::context::pem, error);
  }
  if (error) {
    throw TlsSetupError("The TLS certificate \"" + certificate_file.string() + "\" and key \"" +
                        key_file.string() + "\" could not be loaded: " + error.message() + ".");
  }
  return context;
}

}  // namespace aai::local
