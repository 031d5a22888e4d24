#include "audio_encoding.hpp"

#include <gtest/gtest.h>

namespace streaming {
namespace {

TEST(AudioEncodingTest, EncodesKnownMulawValues) {
  // The same bytes as CPython 3.11's audioop.lin2ulaw for these samples.
  EXPECT_EQ(mulaw_encode(0), 0xFF);
  EXPECT_EQ(mulaw_encode(1000), 0xCE);
  EXPECT_EQ(mulaw_encode(-1000), 0x4E);
  EXPECT_EQ(mulaw_encode(32767), 0x80);
  EXPECT_EQ(mulaw_encode(-32768), 0x00);
  EXPECT_EQ(mulaw_encode(100), 0xF2);
}

TEST(AudioEncodingTest, WritesPcmLittleEndian) {
  const int16_t samples[] = {0x0102, -2};

  const std::string bytes = encode_frame(samples, 2, false);

  EXPECT_EQ(bytes, std::string("\x02\x01\xFE\xFF", 4));
}

TEST(AudioEncodingTest, WritesOneByteForEachMulawSample) {
  const int16_t samples[] = {0, 1000, 32767};

  const std::string bytes = encode_frame(samples, 3, true);

  EXPECT_EQ(bytes, std::string("\xFF\xCE\x80", 3));
}

}  // namespace
}  // namespace streaming
