#include "plugin/server_launcher.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>
#include <aai/plugin.hpp>

namespace aai::local {
namespace {

// Binds a listening socket on a free loopback port, and returns the fd and the port.
std::pair<int, uint16_t> listen_on_free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  listen(fd, 1);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  return {fd, ntohs(address.sin_port)};
}

TEST(ServerLauncherTest, SeesListeningPort) {
  auto [fd, port] = listen_on_free_port();

  EXPECT_TRUE(accepts_connections(port, std::chrono::milliseconds(500)));

  close(fd);
  EXPECT_FALSE(accepts_connections(port, std::chrono::milliseconds(500)));
}

TEST(ServerLauncherTest, FindsServerBesideThisBinary) {
  // In the test the code lives in the test executable, so the path is relative to it.
  std::filesystem::path expected = (std::filesystem::canonical("/proc/self/exe").parent_path() /
                                    ".." / "libexec" / "aai-local-server")
                                       .lexically_normal();

  EXPECT_EQ(server_executable(), expected);
}

TEST(ServerLauncherTest, ReportsMissingServer) {
  auto [fd, port] = listen_on_free_port();
  close(fd);

  try {
    start_server_in_background({}, port, "/tmp/unused.log", std::chrono::milliseconds(100));
    FAIL() << "expected aai::Error";
  } catch (const aai::Error& error) {
    EXPECT_EQ(error.exit_code(), 1);
    EXPECT_EQ(error.type(), "local_emulator_error");
    EXPECT_EQ(std::string(error.what()), "The local emulator " + server_executable().string() +
                                             " is missing or not executable.");
  }
}

}  // namespace
}  // namespace aai::local
