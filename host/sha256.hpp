// SHA-256 digests through GNU Nettle. libnettle is loaded with dlopen on the first digest, so a
// run that hashes nothing does not pay for loading it.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace aai::host {

/// Length of a SHA-256 digest written as hexadecimal digits.
constexpr size_t kSha256HexLength = 64;

/// A failure to load libnettle or to read the file being hashed.
class Sha256Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// An incremental SHA-256 computation: update() any number of times, then hex_digest() once.
class Sha256 {
 public:
  /// Starts a digest. Throws Sha256Error when libnettle.so.8 cannot be loaded.
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view bytes);

  /// Finishes the digest and returns it as 64 lower-case hexadecimal digits.
  std::string hex_digest();

 private:
  struct Context;
  std::unique_ptr<Context> context_;
};

/// Returns the SHA-256 digest of `bytes` as 64 lower-case hexadecimal digits.
std::string sha256_hex(std::string_view bytes);

/// Returns the SHA-256 digest of the contents of `file`, read in blocks, as 64 lower-case
/// hexadecimal digits. Throws Sha256Error naming the reason when the file cannot be read.
std::string sha256_file_hex(const std::filesystem::path& file);

/// Returns whether `text` is 64 hexadecimal digits, in either case.
bool is_sha256_hex(std::string_view text);

/// Returns the first 12 digits of a hexadecimal digest followed by "...", for messages.
std::string short_digest(const std::string& hex_digest);

}  // namespace aai::host
