#include "stream_url.hpp"

#include <gtest/gtest.h>

namespace streaming {
namespace {

TEST(StreamUrlTest, PutsSampleRateFirstAndEncodesValues) {
  const std::map<std::string, std::string> query = {{"keyterms_prompt", R"(["a b","c&d"])"},
                                                    {"speech_model", "universal-3-5-pro"}};

  const std::string url = session_url("wss://streaming.assemblyai.com", query, 16000);

  EXPECT_EQ(url,
            "wss://streaming.assemblyai.com/v3/ws?sample_rate=16000"
            "&keyterms_prompt=%5B%22a%20b%22%2C%22c%26d%22%5D&speech_model=universal-3-5-pro");
}

TEST(StreamUrlTest, AppendsTokenLast) {
  const std::string url = session_url("ws://127.0.0.1:8765", {{"encoding", "pcm_s16le"}}, 8000,
                                      std::string("tok+en/1"));

  EXPECT_EQ(url,
            "ws://127.0.0.1:8765/v3/ws?sample_rate=8000&encoding=pcm_s16le&token=tok%2Ben%2F1");
}

TEST(StreamUrlTest, MapsWebSocketSchemesToHttpForTokens) {
  EXPECT_EQ(token_url("wss://streaming.assemblyai.com"),
            "https://streaming.assemblyai.com/v3/token?expires_in_seconds=60");
  EXPECT_EQ(token_url("ws://127.0.0.1:8765"),
            "http://127.0.0.1:8765/v3/token?expires_in_seconds=60");
}

}  // namespace
}  // namespace streaming
