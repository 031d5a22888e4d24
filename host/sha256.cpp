#include "sha256.hpp"

#include "lazy_library.hpp"

#include <nettle/sha2.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

namespace aai::host {

namespace {

// Nettle's soname in Debian 12 (package libnettle8). Nettle is used rather than OpenSSL's
// libcrypto because libcrypto 3 takes several times longer to load and set up, a cost that every
// start with an installed plugin would pay.
constexpr const char* kLibNettleName = "libnettle.so.8";

// The functions this file calls, looked up with dlsym. The declarations come from nettle-dev's
// headers, so the types are checked at compile time. The executable does not link Nettle,
// because start-up time matters and most runs hash nothing.
struct LibNettle {
  decltype(&::nettle_sha256_init) init = nullptr;
  decltype(&::nettle_sha256_update) update = nullptr;
  decltype(&::nettle_sha256_digest) digest = nullptr;

  /// Reason the library cannot be used, or empty when every function was found.
  std::string load_error;
};

LibNettle load_libnettle() {
  LibNettle library;
  LazyLibrary nettle(kLibNettleName);
  nettle.resolve("nettle_sha256_init", library.init);
  nettle.resolve("nettle_sha256_update", library.update);
  nettle.resolve("nettle_sha256_digest", library.digest);
  library.load_error = nettle.error();
  return library;
}

const LibNettle& libnettle() {
  static const LibNettle library = load_libnettle();
  return library;
}

// Size of the blocks a file is read in.
constexpr size_t kReadBlockSize = 64 * 1024;

}  // namespace

struct Sha256::Context {
  const LibNettle* library = nullptr;
  sha256_ctx state{};
};

Sha256::Sha256() : context_(std::make_unique<Context>()) {
  const LibNettle& library = libnettle();
  if (!library.load_error.empty()) {
    throw Sha256Error(library.load_error);
  }
  context_->library = &library;
  library.init(&context_->state);
}

Sha256::~Sha256() = default;

void Sha256::update(std::string_view bytes) {
  context_->library->update(&context_->state, bytes.size(),
                            reinterpret_cast<const uint8_t*>(bytes.data()));
}

std::string Sha256::hex_digest() {
  uint8_t digest[SHA256_DIGEST_SIZE];
  context_->library->digest(&context_->state, sizeof digest, digest);
  static const char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (uint8_t byte : digest) {
    hex += kDigits[byte >> 4];
    hex += kDigits[byte & 0x0f];
  }
  return hex;
}

std::string sha256_hex(std::string_view bytes) {
  Sha256 digest;
  digest.update(bytes);
  return digest.hex_digest();
}

std::string sha256_file_hex(const std::filesystem::path& file) {
  Sha256 digest;
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw Sha256Error(std::string("could not open it: ") + std::strerror(errno));
  }
  std::string block(kReadBlockSize, '\0');
  while (true) {
    ssize_t count = ::read(fd, block.data(), block.size());
    if (count < 0 && errno == EINTR) {
      continue;
    }
    if (count < 0) {
      int error = errno;
      ::close(fd);
      throw Sha256Error(std::string("could not read it: ") + std::strerror(error));
    }
    if (count == 0) {
      break;
    }
    digest.update(std::string_view(block.data(), static_cast<size_t>(count)));
  }
  ::close(fd);
  return digest.hex_digest();
}

bool is_sha256_hex(std::string_view text) {
  if (text.size() != kSha256HexLength) {
    return false;
  }
  for (char c : text) {
    bool digit = c >= '0' && c <= '9';
    bool letter = (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!digit && !letter) {
      return false;
    }
  }
  return true;
}

std::string short_digest(const std::string& hex_digest) {
  return hex_digest.substr(0, 12) + "...";
}

}  // namespace aai::host
