#include "net/network_settings.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <map>

namespace aai::host {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class NetworkSettingsTest : public ::testing::Test {
 protected:
  NetworkSettings read() {
    return read_network_settings(
        [this](const std::string& key) -> std::optional<std::string> {
          auto found = config.find(key);
          return found == config.end() ? std::nullopt : std::optional(found->second);
        },
        [this](const char* name) -> const char* {
          auto found = environment.find(name);
          return found == environment.end() ? nullptr : found->second.c_str();
        },
        "/home/u/.config/aai/config.ini");
  }

  // Returns the message and suggestion of the error read() throws, or "(no error)".
  std::pair<std::string, std::string> read_error() {
    try {
      read();
    } catch (const NetworkSettingError& error) {
      return {error.what(), error.suggestion()};
    }
    return {"(no error)", ""};
  }

  std::map<std::string, std::string> config;
  std::map<std::string, std::string> environment;
};

TEST_F(NetworkSettingsTest, DefaultsWithoutSettings) {
  NetworkSettings settings = read();

  EXPECT_EQ(settings.connect_timeout, seconds(10));
  EXPECT_EQ(settings.read_timeout, seconds(60));
  EXPECT_EQ(settings.retries, 4u);
  EXPECT_FALSE(settings.https_proxy);
  EXPECT_FALSE(settings.http_proxy);
  EXPECT_FALSE(settings.all_proxy);
  EXPECT_TRUE(settings.no_proxy.empty());
  EXPECT_TRUE(settings.ca_file.empty());
}

TEST_F(NetworkSettingsTest, EnvironmentOverridesConfig) {
  config = {{"connect_timeout", "5"}, {"read_timeout", "90"}, {"retries", "2"}};
  environment = {{"AAI_READ_TIMEOUT", "0.5"}, {"AAI_RETRIES", "0"}};

  NetworkSettings settings = read();

  EXPECT_EQ(settings.connect_timeout, seconds(5));
  EXPECT_EQ(settings.read_timeout, milliseconds(500));
  EXPECT_EQ(settings.retries, 0u);
}

TEST_F(NetworkSettingsTest, RejectsInvalidTimeoutVariable) {
  for (const char* value : {"abc", "0", "-1", "3601", "1e3", "", "inf"}) {
    environment = {{"AAI_CONNECT_TIMEOUT", value}};

    auto [message, suggestion] = read_error();

    EXPECT_EQ(message, std::string("Invalid value '") + value +
                           "' for AAI_CONNECT_TIMEOUT: expected seconds greater than 0 and at "
                           "most 3600.");
    EXPECT_EQ(suggestion, "Set AAI_CONNECT_TIMEOUT to seconds such as 10, or unset it.");
  }
}

TEST_F(NetworkSettingsTest, RejectsInvalidConfigTimeout) {
  config = {{"read_timeout", "soon"}};

  auto [message, suggestion] = read_error();

  EXPECT_EQ(message,
            "Invalid value 'soon' for network.read_timeout in /home/u/.config/aai/config.ini: "
            "expected seconds greater than 0 and at most 3600.");
  EXPECT_EQ(suggestion, "Fix it with `aai config set network.read_timeout 60`.");
}

TEST_F(NetworkSettingsTest, RejectsInvalidRetries) {
  environment = {{"AAI_RETRIES", "11"}};

  auto [message, suggestion] = read_error();

  EXPECT_EQ(message, "Invalid value '11' for AAI_RETRIES: expected a whole number from 0 to 10.");
  EXPECT_EQ(suggestion, "Set AAI_RETRIES to a count such as 4, or unset it.");

  environment.clear();
  config = {{"retries", "many"}};
  EXPECT_EQ(read_error().first,
            "Invalid value 'many' for network.retries in /home/u/.config/aai/config.ini: "
            "expected a whole number from 0 to 10.");
}

TEST_F(NetworkSettingsTest, LowerCaseProxyVariableWins) {
  environment = {{"HTTPS_PROXY", "http://upper:3128"}, {"https_proxy", "http://lower:3129"}};

  NetworkSettings settings = read();

  ASSERT_TRUE(settings.https_proxy);
  EXPECT_EQ(settings.https_proxy->host, "lower");
  EXPECT_EQ(settings.https_proxy->port, 3129);
}

TEST_F(NetworkSettingsTest, RejectsMalformedProxyWithoutQuotingIt) {
  environment = {{"HTTP_PROXY", "socks5://user:secret@proxy:1080"}};

  auto [message, suggestion] = read_error();

  EXPECT_EQ(message,
            "Invalid proxy URL in HTTP_PROXY: expected http://[USER:PASSWORD@]HOST[:PORT].");
  EXPECT_EQ(suggestion, "Fix HTTP_PROXY, or unset it to connect directly.");
}

TEST_F(NetworkSettingsTest, RejectsMissingCaFile) {
  environment = {{"SSL_CERT_FILE", "/nonexistent/company-ca.pem"}};

  auto [message, suggestion] = read_error();

  EXPECT_EQ(message,
            "Failed to read the CA file '/nonexistent/company-ca.pem' named by SSL_CERT_FILE: No "
            "such file or directory.");
  EXPECT_EQ(suggestion, "Point SSL_CERT_FILE at a readable PEM file, or unset it.");
}

TEST_F(NetworkSettingsTest, RejectsCaFolderThatIsNoFolder) {
  testing::TempDir folder;
  auto file = folder.path() / "ca.pem";
  testing::write_text(file, "not a folder");
  environment = {{"SSL_CERT_DIR", file.string()}};

  auto [message, suggestion] = read_error();

  EXPECT_EQ(message, "Failed to read the CA folder '" + file.string() +
                         "' named by SSL_CERT_DIR: not a directory.");
  EXPECT_EQ(suggestion, "Point SSL_CERT_DIR at a folder of PEM files, or unset it.");
}

TEST_F(NetworkSettingsTest, AcceptsReadableCaFileAndFolder) {
  testing::TempDir folder;
  auto file = folder.path() / "ca.pem";
  testing::write_text(file, "-----BEGIN CERTIFICATE-----\n");
  environment = {{"SSL_CERT_FILE", file.string()}, {"SSL_CERT_DIR", folder.path().string()}};

  NetworkSettings settings = read();

  EXPECT_EQ(settings.ca_file, file);
  EXPECT_EQ(settings.ca_dir, folder.path());
}

TEST(ProxyUrlTest, ParsesHostPortAndCredentials) {
  auto proxy = parse_proxy_url("http://us%40er:p%3Ass@proxy.corp:3128/");

  ASSERT_TRUE(proxy);
  EXPECT_EQ(proxy->host, "proxy.corp");
  EXPECT_EQ(proxy->port, 3128);
  EXPECT_EQ(proxy->username, "us@er");
  EXPECT_EQ(proxy->password, "p:ss");
  EXPECT_EQ(proxy->url(), "http://proxy.corp:3128");
}

TEST(ProxyUrlTest, DefaultsSchemeAndPortLikeCurl) {
  auto bare = parse_proxy_url("proxy.corp");
  auto ipv6 = parse_proxy_url("http://[::1]");

  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->url(), "http://proxy.corp:1080");
  ASSERT_TRUE(ipv6);
  EXPECT_EQ(ipv6->url(), "http://[::1]:1080");
}

TEST(ProxyUrlTest, RejectsMalformedValues) {
  for (const char* value : {"https://proxy:3128", "socks5://proxy", "http://", "http://proxy:port",
                            "http://a b", "http://u:%zz@proxy"}) {
    EXPECT_FALSE(parse_proxy_url(value)) << value;
  }
}

TEST(NoProxyTest, MatchesHostsSuffixesIpsAndPorts) {
  auto entries = parse_no_proxy(" .example.com, corp.net ,10.0.0.1,localhost:8080,[::1],");

  EXPECT_TRUE(is_excluded_from_proxy(entries, "api.example.com", 443));
  EXPECT_TRUE(is_excluded_from_proxy(entries, "example.com", 443));
  EXPECT_TRUE(is_excluded_from_proxy(entries, "a.b.corp.net", 80));
  EXPECT_TRUE(is_excluded_from_proxy(entries, "CORP.NET", 80));
  EXPECT_FALSE(is_excluded_from_proxy(entries, "notcorp.net", 80));
  EXPECT_FALSE(is_excluded_from_proxy(entries, "example.com.evil.io", 443));
  EXPECT_TRUE(is_excluded_from_proxy(entries, "10.0.0.1", 443));
  EXPECT_FALSE(is_excluded_from_proxy(entries, "10.0.0.11", 443));
  EXPECT_TRUE(is_excluded_from_proxy(entries, "localhost", 8080));
  EXPECT_FALSE(is_excluded_from_proxy(entries, "localhost", 8081));
  EXPECT_TRUE(is_excluded_from_proxy(entries, "[::1]", 443));
}

TEST(NoProxyTest, StarMatchesEverything) {
  auto entries = parse_no_proxy("*");

  EXPECT_TRUE(is_excluded_from_proxy(entries, "api.assemblyai.com", 443));
}

TEST(ProxyChoiceTest, ChoosesProxyPerUrl) {
  NetworkSettings settings;
  settings.https_proxy = parse_proxy_url("http://secure:1");
  settings.http_proxy = parse_proxy_url("http://plain:2");
  settings.no_proxy = parse_no_proxy("internal.corp");

  EXPECT_EQ(proxy_for_url(settings, "https://api.assemblyai.com/v2")->host, "secure");
  EXPECT_EQ(proxy_for_url(settings, "wss://streaming.assemblyai.com/v3/ws")->host, "secure");
  EXPECT_EQ(proxy_for_url(settings, "http://example.com/")->host, "plain");
  EXPECT_EQ(proxy_for_url(settings, "ws://127.0.0.1:8765/v3/ws")->host, "plain");
  EXPECT_FALSE(proxy_for_url(settings, "https://api.internal.corp/v2"));
  EXPECT_FALSE(proxy_for_url(settings, "not a url"));
}

TEST(ProxyChoiceTest, FallsBackToAllProxy) {
  NetworkSettings settings;
  settings.all_proxy = parse_proxy_url("http://any:3");
  settings.http_proxy = parse_proxy_url("http://plain:2");

  EXPECT_EQ(proxy_for_url(settings, "https://api.assemblyai.com/v2")->host, "any");
  EXPECT_EQ(proxy_for_url(settings, "http://example.com/")->host, "plain");
}

}  // namespace
}  // namespace aai::host
