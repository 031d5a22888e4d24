#include "host/net/transport_errors.hpp"

#include <gtest/gtest.h>

#include <cstring>

#include <cerrno>
#include <stdexcept>

#include <cpprest/http_msg.h>

namespace aai::host {
namespace {

using Kind = TransportError::Kind;
using std::chrono::milliseconds;

constexpr const char* kUrl = "https://api.example.test/v2/upload";

// The resolver failure cannot be produced on loopback without a DNS query, so the mapping is
// checked here with the exception cpprestsdk 2.10 raises for it.
TEST(TransportErrorsTest, ResolverFailureNamesHost) {
  const web::http::http_exception error(1, "Error resolving address");

  const TransportError mapped = to_transport_error(error, kUrl, milliseconds(1000));

  EXPECT_EQ(mapped.kind(), Kind::kConnectionFailed);
  EXPECT_EQ(std::string(mapped.what()),
            "Failed to resolve the host name \"api.example.test\" in " + std::string(kUrl) + ".");
}

TEST(TransportErrorsTest, TimeoutQuotesDuration) {
  const web::http::http_exception error(ETIMEDOUT, "Failed to read HTTP status line");

  const TransportError mapped = to_transport_error(error, kUrl, milliseconds(30000));

  EXPECT_EQ(mapped.kind(), Kind::kTimedOut);
  EXPECT_EQ(std::string(mapped.what()), "The request to " + std::string(kUrl) +
                                            " timed out: no data was sent or received for 30 s.");
}

TEST(TransportErrorsTest, RefusedAndUnreachableShareMessage) {
  for (int code : {ECONNREFUSED, EHOSTUNREACH}) {
    const web::http::http_exception error(code, "Failed to connect to any resolved endpoint");

    const TransportError mapped = to_transport_error(error, kUrl, milliseconds(1000));

    EXPECT_EQ(mapped.kind(), Kind::kConnectionFailed);
    EXPECT_EQ(std::string(mapped.what()),
              "Failed to connect to " + std::string(kUrl) +
                  ": the connection was refused or the host is unreachable.");
  }
}

TEST(TransportErrorsTest, TlsFailureKeepsDetail) {
  const web::http::http_exception error(EPROTO, "Error in SSL handshake");

  const TransportError mapped = to_transport_error(error, kUrl, milliseconds(1000));

  EXPECT_EQ(mapped.kind(), Kind::kTlsFailed);
  EXPECT_EQ(std::string(mapped.what()), "The TLS handshake with " + std::string(kUrl) +
                                            " failed: Error in SSL handshake (" +
                                            std::strerror(EPROTO) + ").");
}

TEST(TransportErrorsTest, OtherFailureKeepsLibraryText) {
  const std::runtime_error error("stream closed.");

  const TransportError mapped = to_transport_error(error, kUrl, milliseconds(1000));

  EXPECT_EQ(mapped.kind(), Kind::kOther);
  EXPECT_EQ(std::string(mapped.what()),
            "The request to " + std::string(kUrl) + " failed: stream closed.");
}

TEST(TransportErrorsTest, FormatsWholeSecondsAndMilliseconds) {
  EXPECT_EQ(format_duration(milliseconds(300000)), "300 s");
  EXPECT_EQ(format_duration(milliseconds(250)), "250 ms");
  EXPECT_EQ(format_duration(milliseconds(1500)), "1500 ms");
}

}  // namespace
}  // namespace aai::host
