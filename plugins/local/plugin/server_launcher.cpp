#include "plugin/server_launcher.hpp"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <thread>

#include <aai/plugin.hpp>

namespace aai::local {

namespace {

constexpr const char* kLaunchErrorType = "local_emulator_error";

std::vector<char*> to_argv(const std::filesystem::path& program,
                           const std::vector<std::string>& arguments) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(program.c_str()));
  for (const auto& argument : arguments) {
    argv.push_back(const_cast<char*>(argument.c_str()));
  }
  argv.push_back(nullptr);
  return argv;
}

// Runs in the forked child, so it only makes async-signal-safe calls before execv.
[[noreturn]] void become_server(const std::filesystem::path& program, char* const argv[],
                                const std::filesystem::path& log_file) {
  setsid();
  int null_fd = open("/dev/null", O_RDONLY);
  int log_fd = open(log_file.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0600);
  if (null_fd < 0 || log_fd < 0) {
    _exit(126);
  }
  dup2(null_fd, STDIN_FILENO);
  dup2(log_fd, STDOUT_FILENO);
  dup2(log_fd, STDERR_FILENO);
  execv(program.c_str(), argv);
  _exit(127);
}

std::string describe_exit(int status) {
  if (WIFEXITED(status)) {
    return "exit status " + std::to_string(WEXITSTATUS(status));
  }
  return "signal " + std::to_string(WTERMSIG(status));
}

}  // namespace

std::filesystem::path server_executable() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&server_executable), &info) == 0 ||
      info.dli_fname == nullptr) {
    throw aai::Error(AAI_EXIT_FAILURE, kLaunchErrorType,
                     "Could not find the file of the local plugin, so the emulator cannot be "
                     "located.");
  }
  std::filesystem::path plugin = std::filesystem::absolute(info.dli_fname);
  return (plugin.parent_path() / ".." / "libexec" / "aai-local-server").lexically_normal();
}

bool accepts_connections(uint16_t port, std::chrono::milliseconds timeout) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return false;
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool connected = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  if (!connected && errno == EINPROGRESS) {
    pollfd watched{fd, POLLOUT, 0};
    int error = 0;
    socklen_t length = sizeof error;
    connected = poll(&watched, 1, static_cast<int>(timeout.count())) == 1 &&
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 && error == 0;
  }
  close(fd);
  return connected;
}

void exec_server(const std::vector<std::string>& arguments) {
  std::filesystem::path program = server_executable();
  std::vector<char*> argv = to_argv(program, arguments);
  std::fflush(nullptr);
  execv(program.c_str(), argv.data());
  throw aai::Error(
      AAI_EXIT_FAILURE, kLaunchErrorType,
      "Could not start the local emulator " + program.string() + ": " + std::strerror(errno) + ".",
      "Reinstall aai, so that aai-local-server is next to its plugins.");
}

void start_server_in_background(const std::vector<std::string>& arguments, uint16_t port,
                                const std::filesystem::path& log_file,
                                std::chrono::milliseconds wait) {
  std::filesystem::path program = server_executable();
  if (access(program.c_str(), X_OK) != 0) {
    throw aai::Error(AAI_EXIT_FAILURE, kLaunchErrorType,
                     "The local emulator " + program.string() + " is missing or not executable.",
                     "Reinstall aai, so that aai-local-server is next to its plugins.");
  }
  std::vector<char*> argv = to_argv(program, arguments);
  std::fflush(nullptr);
  pid_t child = fork();
  if (child < 0) {
    throw aai::Error(
        AAI_EXIT_FAILURE, kLaunchErrorType,
        std::string("Could not start the local emulator: ") + std::strerror(errno) + ".");
  }
  if (child == 0) {
    become_server(program, argv.data(), log_file);
  }

  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(child, &status, WNOHANG) == child) {
      throw aai::Error(AAI_EXIT_FAILURE, kLaunchErrorType,
                       "The local emulator stopped before it accepted connections (" +
                           describe_exit(status) + ").",
                       "See its log: " + log_file.string());
    }
    if (accepts_connections(port, std::chrono::milliseconds(100))) {
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw aai::Error(
      AAI_EXIT_FAILURE, kLaunchErrorType,
      "The local emulator did not accept connections on 127.0.0.1:" + std::to_string(port) +
          " within " + std::to_string(wait.count() / 1000) + " seconds.",
      "See its log: " + log_file.string());
}

}  // namespace aai::local
