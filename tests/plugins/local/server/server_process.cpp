#include "server_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace aai::local::testing {

namespace beast = boost::beast;
namespace http = beast::http;

namespace {

std::string read_ready_line(int fd, std::chrono::seconds timeout) {
  std::string line;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd watched{fd, POLLIN, 0};
    if (poll(&watched, 1, 100) <= 0) {
      continue;
    }
    char c = 0;
    if (read(fd, &c, 1) != 1) {
      break;
    }
    if (c == '\n') {
      return line;
    }
    line += c;
  }
  return line;
}

}  // namespace

ServerProcess::ServerProcess(const std::filesystem::path& data_dir,
                             std::vector<std::string> extra_arguments) {
  log_file_ = data_dir.parent_path() / (data_dir.filename().string() + "-server.log");
  std::vector<std::string> arguments = {AAI_TEST_SERVER, "--port", "0", "--data-dir",
                                        data_dir.string()};
  arguments.insert(arguments.end(), extra_arguments.begin(), extra_arguments.end());
  std::vector<char*> argv;
  for (auto& argument : arguments) {
    argv.push_back(argument.data());
  }
  argv.push_back(nullptr);

  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) {
    throw std::runtime_error("pipe failed");
  }
  pid_ = fork();
  if (pid_ == 0) {
    int log_fd = open(log_file_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    dup2(pipe_fds[1], STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    close(pipe_fds[0]);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(pipe_fds[1]);
  std::string line = read_ready_line(pipe_fds[0], std::chrono::seconds(20));
  close(pipe_fds[0]);
  // The line names the scheme: https:// when the server was started with --tls-cert.
  const std::string prefix = "listening on http://127.0.0.1:";
  const std::string tls_prefix = "listening on https://127.0.0.1:";
  size_t port_start = 0;
  if (line.rfind(prefix, 0) == 0) {
    port_start = prefix.size();
  } else if (line.rfind(tls_prefix, 0) == 0) {
    port_start = tls_prefix.size();
  } else {
    stop(SIGKILL);
    throw std::runtime_error("the server printed no ready line but \"" + line + "\"; log:\n" +
                             log());
  }
  port_ = static_cast<uint16_t>(std::stoi(line.substr(port_start)));
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    stop(SIGKILL);
  }
}

int ServerProcess::stop(int signal_number) {
  if (pid_ <= 0) {
    return -1;
  }
  kill(pid_, signal_number);
  return wait_for_exit(std::chrono::seconds(10));
}

int ServerProcess::wait_for_exit(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (pid_ > 0 && std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return -1;
}

std::string ServerProcess::log() const {
  std::ifstream file(log_file_);
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

HttpResult ServerProcess::request(const std::string& method, const std::string& target,
                                  const std::string& body, const std::string& authorization) {
  Headers headers;
  if (!authorization.empty()) {
    headers.emplace_back("Authorization", authorization);
  }
  return send(method, target, body, headers);
}

HttpResult ServerProcess::send(const std::string& method, const std::string& target,
                               const std::string& body, const Headers& headers) {
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port_));
  http::request<http::string_body> message{http::string_to_verb(method), target, 11};
  message.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) {
    message.set(name, value);
  }
  message.body() = body;
  message.prepare_payload();
  http::write(stream, message);

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  http::read(stream, buffer, parser);
  beast::error_code ignored;
  stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  const auto& response = parser.get();
  return {response.result_int(), std::string(response[http::field::content_type]), response.body(),
          std::string(response[http::field::location])};
}

std::pair<int, std::string> run_server_to_exit(const std::vector<std::string>& arguments,
                                               std::chrono::seconds timeout) {
  std::filesystem::path stderr_file = std::filesystem::temp_directory_path() /
                                      ("aai-local-server-" + std::to_string(getpid()) + ".stderr");
  std::vector<std::string> command = {AAI_TEST_SERVER};
  command.insert(command.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (auto& argument : command) {
    argv.push_back(argument.data());
  }
  argv.push_back(nullptr);

  pid_t pid = fork();
  if (pid == 0) {
    int log_fd = open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int null_fd = open("/dev/null", O_WRONLY);
    dup2(null_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int exit_code = -1;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (exit_code == -1) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
  std::ifstream file(stderr_file);
  std::stringstream content;
  content << file.rdbuf();
  std::filesystem::remove(stderr_file);
  return {exit_code, content.str()};
}

}  // namespace aai::local::testing
