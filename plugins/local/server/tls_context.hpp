// The TLS context of `aai-local-server --tls-cert FILE --tls-key FILE`, checked at start.
#pragma once

#include <filesystem>
#include <stdexcept>

#include <boost/asio/ssl/context.hpp>

namespace aai::local {

/// A certificate or key that cannot be used; the message names the file.
class TlsSetupError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Returns a TLS server context (TLS 1.2 or later) with the PEM certificate chain in
/// `certificate_file` and the PEM private key in `key_file`. Throws TlsSetupError when a file
/// cannot be read, does not parse, or the key does not belong to the certificate.
boost::asio::ssl::context make_tls_context(const std::filesystem::path& certificate_file,
                                           const std::filesystem::path& key_file);

}  // namespace aai::local
