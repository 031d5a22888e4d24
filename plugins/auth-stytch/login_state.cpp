#include "login_state.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <iterator>

#include <unistd.h>

#include <boost/algorithm/hex.hpp>

#include <aai/plugin.hpp>

namespace auth_stytch {

namespace {

constexpr size_t kStateBytes = 32;

}  // namespace

std::string make_login_state() {
  // getentropy(3) rather than Poco Crypto, which would load OpenSSL into every start of aai.
  std::array<unsigned char, kStateBytes> bytes{};
  if (getentropy(bytes.data(), bytes.size()) != 0) {
    const int error = errno;
    throw aai::Error(AAI_EXIT_FAILURE, "internal_error",
                     std::string("Reading random bytes for the sign-in state failed: ") +
                         std::strerror(error) + ".");
  }

  std::string state;
  state.reserve(2 * kStateBytes);
  boost::algorithm::hex_lower(bytes.begin(), bytes.end(), std::back_inserter(state));
  return state;
}

bool states_match(std::string_view expected, std::string_view received) {
  if (expected.size() != received.size()) {
    return false;
  }
  // Every byte is compared, without an early exit, so the time does not reveal the first
  // difference.
  unsigned char difference = 0;
  for (size_t i = 0; i < expected.size(); ++i) {
    difference |= static_cast<unsigned char>(expected[i] ^ received[i]);
  }
  return difference == 0;
}

}  // namespace auth_stytch
