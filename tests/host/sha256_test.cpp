#include "sha256.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

namespace aai::host {
namespace {

using testing::TempDir;

// Test vectors of FIPS 180-2, appendix B (SHA-256 of "abc", of the 448-bit message and of one
// million 'a'), and the well-known digest of the empty message.
TEST(Sha256Test, MatchesKnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256Test, UpdatesInPiecesGiveSameDigest) {
  Sha256 digest;
  for (int i = 0; i < 1000; ++i) {
    digest.update(std::string(1000, 'a'));
  }

  EXPECT_EQ(digest.hex_digest(),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256Test, HashesFileLargerThanOneBlock) {
  TempDir dir;
  testing::write_text(dir.path() / "million.bin", std::string(1000000, 'a'));
  testing::write_text(dir.path() / "empty.bin", "");

  EXPECT_EQ(sha256_file_hex(dir.path() / "million.bin"),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  EXPECT_EQ(sha256_file_hex(dir.path() / "empty.bin"),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256Test, FileErrorsNameTheReason) {
  TempDir dir;

  try {
    sha256_file_hex(dir.path() / "missing.so");
    FAIL() << "a missing file was hashed";
  } catch (const Sha256Error& error) {
    EXPECT_STREQ(error.what(), "could not open it: No such file or directory");
  }
  try {
    sha256_file_hex(dir.path());
    FAIL() << "a folder was hashed";
  } catch (const Sha256Error& error) {
    EXPECT_STREQ(error.what(), "could not read it: Is a directory");
  }
}

TEST(Sha256Test, RecognisesHexDigests) {
  std::string lower(64, 'a');
  std::string upper(64, 'F');

  EXPECT_TRUE(is_sha256_hex(lower));
  EXPECT_TRUE(is_sha256_hex(upper));
  EXPECT_FALSE(is_sha256_hex(std::string(63, 'a')));
  EXPECT_FALSE(is_sha256_hex(std::string(65, 'a')));
  EXPECT_FALSE(is_sha256_hex(std::string(63, 'a') + "g"));
  EXPECT_EQ(short_digest("0123456789abcdef" + std::string(48, '0')), "0123456789ab...");
}

}  // namespace
}  // namespace aai::host
