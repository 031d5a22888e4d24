#include "test_ca.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <fstream>
#include <stdexcept>

namespace aai::testing {

namespace {

std::string openssl_error(const std::string& step) {
  char text[256] = "unknown error";
  unsigned long code = ERR_get_error();
  if (code != 0) {
    ERR_error_string_n(code, text, sizeof text);
  }
  ERR_clear_error();
  return "OpenSSL failed to " + step + ": " + text;
}

void check(int result, const std::string& step) {
  if (result <= 0) {
    throw std::runtime_error(openssl_error(step));
  }
}

EVP_PKEY* new_ec_key() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  if (key == nullptr) {
    throw std::runtime_error(openssl_error("make an EC P-256 key"));
  }
  return key;
}

using X509Pointer = std::unique_ptr<X509, decltype(&X509_free)>;
using KeyPointer = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

// Adds an extension written in OpenSSL's configuration syntax, such as "critical,CA:TRUE".
void add_extension(X509* certificate, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str());
  if (extension == nullptr) {
    throw std::runtime_error(openssl_error("make the extension " + value));
  }
  int added = X509_add_ext(certificate, extension, -1);
  X509_EXTENSION_free(extension);
  check(added, "add the extension " + value);
}

// Returns a certificate for `key` named `common_name`, valid from one hour ago for one day, not
// yet signed.
X509Pointer new_certificate(EVP_PKEY* key, const std::string& common_name, long serial) {
  X509Pointer certificate(X509_new(), &X509_free);
  check(certificate ? 1 : 0, "allocate a certificate");
  check(X509_set_version(certificate.get(), 2), "set the certificate version");
  check(ASN1_INTEGER_set(X509_get_serialNumber(certificate.get()), serial), "set the serial");
  X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 24 * 3600);
  check(X509_set_pubkey(certificate.get(), key), "set the public key");
  X509_NAME* name = X509_get_subject_name(certificate.get());
  check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(common_name.c_str()), -1,
                                   -1, 0),
        "set the common name");
  return certificate;
}

std::string certificate_to_pem(X509* certificate) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  check(PEM_write_bio_X509(bio.get(), certificate), "write a PEM certificate");
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

std::string key_to_pem(EVP_PKEY* key) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  check(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr),
        "write a PEM private key");
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

void write_file(const std::filesystem::path& path, const std::string& content) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << content;
  if (!file) {
    throw std::runtime_error("Could not write " + path.string());
  }
}

}  // namespace

std::pair<std::filesystem::path, std::filesystem::path> PemPair::write(
    const std::filesystem::path& folder, const std::string& stem) const {
  std::filesystem::path certificate_file = folder / (stem + ".pem");
  std::filesystem::path key_file = folder / (stem + ".key");
  write_file(certificate_file, certificate_pem);
  write_file(key_file, private_key_pem);
  std::filesystem::permissions(
      key_file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  return {certificate_file, key_file};
}

TestCa::TestCa(const std::string& common_name) {
  KeyPointer key(new_ec_key(), &EVP_PKEY_free);
  X509Pointer certificate = new_certificate(key.get(), common_name, 1);
  check(X509_set_issuer_name(certificate.get(), X509_get_subject_name(certificate.get())),
        "set the issuer");
  add_extension(certificate.get(), certificate.get(), NID_basic_constraints, "critical,CA:TRUE");
  add_extension(certificate.get(), certificate.get(), NID_key_usage,
                "critical,keyCertSign,cRLSign");
  add_extension(certificate.get(), certificate.get(), NID_subject_key_identifier, "hash");
  check(X509_sign(certificate.get(), key.get(), EVP_sha256()), "sign the CA certificate");
  key_ = key.release();
  certificate_ = certificate.release();
}

TestCa::~TestCa() {
  X509_free(certificate_);
  EVP_PKEY_free(key_);
}

std::string TestCa::certificate_pem() const {
  return certificate_to_pem(certificate_);
}

std::filesystem::path TestCa::write_certificate(const std::filesystem::path& path) const {
  write_file(path, certificate_pem());
  return path;
}

PemPair TestCa::issue_server_certificate(const std::vector<std::string>& ip_addresses,
                                         const std::vector<std::string>& dns_names) const {
  if (ip_addresses.empty() && dns_names.empty()) {
    throw std::invalid_argument("A server certificate needs an IP address or a DNS name.");
  }
  static std::atomic<long> next_serial{2};
  KeyPointer key(new_ec_key(), &EVP_PKEY_free);
  const std::string common_name = ip_addresses.empty() ? dns_names.front() : ip_addresses.front();
  X509Pointer certificate = new_certificate(key.get(), common_name, next_serial++);
  check(X509_set_issuer_name(certificate.get(), X509_get_subject_name(certificate_)),
        "set the issuer");
  std::string names;
  for (const std::string& address : ip_addresses) {
    names += (names.empty() ? "IP:" : ",IP:") + address;
  }
  for (const std::string& dns_name : dns_names) {
    names += (names.empty() ? "DNS:" : ",DNS:") + dns_name;
  }
  add_extension(certificate.get(), certificate_, NID_subject_alt_name, names);
  add_extension(certificate.get(), certificate_, NID_basic_constraints, "critical,CA:FALSE");
  add_extension(certificate.get(), certificate_, NID_key_usage, "critical,digitalSignature");
  add_extension(certificate.get(), certificate_, NID_ext_key_usage, "serverAuth");
  add_extension(certificate.get(), certificate_, NID_authority_key_identifier, "keyid");
  check(X509_sign(certificate.get(), key_, EVP_sha256()), "sign the server certificate");
  return {certificate_to_pem(certificate.get()), key_to_pem(key.get())};
}

}  // namespace aai::testing
