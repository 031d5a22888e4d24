#include "server/server_options.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace aai::local {
namespace {

ServerOptions parse(std::vector<std::string> arguments) {
  arguments.insert(arguments.begin(), "aai-local-server");
  arguments.insert(arguments.end(), {"--data-dir", "/tmp/unused"});
  std::vector<const char*> argv;
  for (const std::string& argument : arguments) {
    argv.push_back(argument.c_str());
  }
  return parse_server_options(static_cast<int>(argv.size()), argv.data());
}

std::string options_error(std::vector<std::string> arguments) {
  try {
    parse(std::move(arguments));
  } catch (const OptionsError& error) {
    return error.what();
  }
  return "no error";
}

TEST(ServerOptionsTest, ReadsTlsFaultSeedAndWorkers) {
  ServerOptions options = parse({"--tls-cert", "c.pem", "--tls-key", "k.pem", "--faults",
                                 "/v2=503@5%", "--faults-seed", "123", "--workers", "1"});

  ASSERT_TRUE(options.tls_cert.has_value());
  EXPECT_EQ(*options.tls_cert, "c.pem");
  ASSERT_TRUE(options.tls_key.has_value());
  EXPECT_EQ(*options.tls_key, "k.pem");
  ASSERT_TRUE(options.faults_seed.has_value());
  EXPECT_EQ(*options.faults_seed, 123U);
  EXPECT_EQ(options.workers, 1U);
  EXPECT_EQ(options.faults.size(), 1U);
}

TEST(ServerOptionsTest, DefaultsToPlainHttpAndOneWorker) {
  ServerOptions options = parse({});

  EXPECT_FALSE(options.tls_cert.has_value());
  EXPECT_FALSE(options.faults_seed.has_value());
  EXPECT_EQ(options.workers, 1U);
}

TEST(ServerOptionsTest, RejectsHalfOfTlsPair) {
  const std::string message =
      "--tls-cert and --tls-key go together: give both to serve HTTPS, or neither.";

  EXPECT_EQ(options_error({"--tls-cert", "c.pem"}), message);
  EXPECT_EQ(options_error({"--tls-key", "k.pem"}), message);
  EXPECT_EQ(options_error({"--tls-cert", "", "--tls-key", "k.pem"}),
            "--tls-cert and --tls-key must name files.");
}

TEST(ServerOptionsTest, RejectsBadSeedAndWorkers) {
  EXPECT_EQ(options_error({"--faults-seed", "-1"}),
            "--faults-seed must be an integer from 0 to 9223372036854775807, not \"-1\".");
  EXPECT_EQ(options_error({"--faults-seed", "x"}),
            "--faults-seed must be an integer from 0 to 9223372036854775807, not \"x\".");
  EXPECT_EQ(options_error({"--workers", "0"}), "--workers must be an integer from 1 to " +
                                                   std::to_string(max_workers()) + ", not \"0\".");
  EXPECT_EQ(
      options_error({"--workers", "99"}),
      "--workers must be an integer from 1 to " + std::to_string(max_workers()) + ", not \"99\".");
}

TEST(ServerOptionsTest, RejectsBadFaultSpec) {
  EXPECT_EQ(options_error({"--faults", "/v2=reset@0%"}),
            "--faults part \"/v2=reset@0%\" has a probability that is not a percentage above 0 "
            "and at most 100, such as 5% or 0.5%.");
}

}  // namespace
}  // namespace aai::local
