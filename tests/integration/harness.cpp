#include "harness.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace aai::testing {
namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// Spawns `argv` with stdin, stdout and stderr bound to the given files and returns the pid.
int spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env,
          const std::string& stdin_path, const std::string& stdout_path,
          const std::string& stderr_path) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, stdin_path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  posix_spawn_file_actions_addopen(&actions, 2, stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);

  std::vector<char*> raw_argv;
  for (const auto& arg : argv) {
    raw_argv.push_back(const_cast<char*>(arg.c_str()));
  }
  raw_argv.push_back(nullptr);
  std::vector<char*> raw_env;
  for (const auto& entry : env) {
    raw_env.push_back(const_cast<char*>(entry.c_str()));
  }
  raw_env.push_back(nullptr);

  pid_t pid = -1;
  int error = posix_spawn(&pid, raw_argv[0], &actions, nullptr, raw_argv.data(), raw_env.data());
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) {
    throw std::runtime_error("could not start " + argv[0] + ": " + std::strerror(error));
  }
  return pid;
}

int wait_for(int pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      return -1;
    }
  }
  if (WIFEXITED(status)) {
    return WEXITSTATUS(status);
  }
  return 128 + WTERMSIG(status);
}

std::vector<std::string> current_environment() {
  std::vector<std::string> entries;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    entries.emplace_back(*entry);
  }
  return entries;
}

}  // namespace

std::filesystem::path build_dir() {
  return AAI_TEST_BUILD_DIR;
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "aai-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed");
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::filesystem::path TempDir::write(const std::string& name, const std::string& content) const {
  auto file = path_ / name;
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << content;
  return file;
}

Emulator::Emulator(const std::filesystem::path& data_dir, const std::optional<std::string>& api_key,
                   const std::vector<std::string>& extra_args) {
  std::vector<std::string> argv = {(build_dir() / "lib/aai/libexec/aai-local-server").string(),
                                   "--port", "0", "--data-dir", data_dir.string()};
  if (api_key) {
    argv.push_back("--api-key");
    argv.push_back(*api_key);
  }
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  std::filesystem::create_directories(data_dir);
  auto ready_file = data_dir / "ready.out";
  pid_ = spawn(argv, current_environment(), "/dev/null", ready_file.string(),
               (data_dir / "emulator.err").string());

  // The emulator prints "listening on http://127.0.0.1:PORT" once it accepts connections, or
  // https:// when it serves TLS.
  const std::string prefix = "://127.0.0.1:";
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("the emulator exited before it was ready: " +
                               read_file(data_dir / "emulator.err"));
    }
    std::string ready = read_file(ready_file);
    if (auto at = ready.find(prefix); at != std::string::npos &&
                                      ready.rfind("listening on http", at) != ready.npos &&
                                      ready.find('\n', at) != ready.npos) {
      port_ = std::stoi(ready.substr(at + prefix.size()));
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  stop();
  throw std::runtime_error("the emulator did not print its ready line within 30 s: " +
                           read_file(data_dir / "emulator.err"));
}

Emulator::~Emulator() {
  stop();
}

int Emulator::stop(int signal_number) {
  if (pid_ <= 0) {
    return 0;
  }
  kill(pid_, signal_number);
  int status = wait_for(pid_);
  pid_ = -1;
  return status;
}

Sandbox::Sandbox() {
  for (const auto& entry : current_environment()) {
    auto equals = entry.find('=');
    env_[entry.substr(0, equals)] = entry.substr(equals + 1);
  }
  // Nothing from the developer's own setup may leak into a test run.
  // The proxy variables would send the tests' loopback traffic to the developer's proxy, so a
  // test that wants a proxy sets them itself.
  for (const char* name : {"ASSEMBLYAI_API_KEY",
                           "AAI_ENV",
                           "AAI_PLUGIN_PATH",
                           "AAI_LOCAL_PORT",
                           "AAI_AUTH_PORT",
                           "BROWSER",
                           "DBUS_SESSION_BUS_ADDRESS",
                           "AAI_CONNECT_TIMEOUT",
                           "AAI_READ_TIMEOUT",
                           "AAI_RETRIES",
                           "HTTPS_PROXY",
                           "https_proxy",
                           "HTTP_PROXY",
                           "http_proxy",
                           "ALL_PROXY",
                           "all_proxy",
                           "NO_PROXY",
                           "no_proxy",
                           "SSL_CERT_FILE",
                           "SSL_CERT_DIR"}) {
    env_.erase(name);
  }
  // No session bus: the secret store falls back to its file unless a test starts a keyring.
  env_["XDG_RUNTIME_DIR"] = (home() / "run").string();
  env_["HOME"] = home().string();
  env_["XDG_CONFIG_HOME"] = (home() / "config").string();
  env_["XDG_DATA_HOME"] = (home() / "data").string();
  env_["XDG_STATE_HOME"] = (home() / "state").string();
}

void Sandbox::set_env(const std::string& name, const std::optional<std::string>& value) {
  if (value) {
    env_[name] = *value;
  } else {
    env_.erase(name);
  }
}

std::filesystem::path Sandbox::config_file() const {
  return home() / "config/aai/config.ini";
}

std::vector<std::string> Sandbox::environment_entries() const {
  std::vector<std::string> env;
  for (const auto& [name, value] : env_) {
    env.push_back(name + "=" + value);
  }
  return env;
}

namespace {

std::string next_run_stem() {
  static std::atomic<int> run_count = 0;
  return "run-" + std::to_string(++run_count);
}

}  // namespace

RunResult Sandbox::run(const std::vector<std::string>& args, const std::string& input,
                       const std::filesystem::path& executable) const {
  std::string stem = next_run_stem();
  auto stdin_path = home_.write(stem + ".in", input);

  std::vector<std::string> argv = {executable.empty() ? (build_dir() / "bin/aai").string()
                                                      : executable.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  auto out_path = home() / (stem + ".out");
  auto err_path = home() / (stem + ".err");
  int pid =
      spawn(argv, environment_entries(), stdin_path.string(), out_path.string(), err_path.string());
  RunResult result;
  result.exit_code = wait_for(pid);
  result.out = read_file(out_path);
  result.err = read_file(err_path);
  return result;
}

RunningAai Sandbox::start(const std::vector<std::string>& args,
                          const std::filesystem::path& input_file) const {
  std::string stem = next_run_stem();
  auto stdin_path = input_file.empty() ? home_.write(stem + ".in", "") : input_file;
  std::vector<std::string> argv = {(build_dir() / "bin/aai").string()};
  argv.insert(argv.end(), args.begin(), args.end());
  auto out_path = home() / (stem + ".out");
  auto err_path = home() / (stem + ".err");
  int pid =
      spawn(argv, environment_entries(), stdin_path.string(), out_path.string(), err_path.string());
  return RunningAai(pid, out_path, err_path);
}

RunningAai::RunningAai(int pid, std::filesystem::path out_path, std::filesystem::path err_path)
    : pid_(pid), out_path_(std::move(out_path)), err_path_(std::move(err_path)) {}

RunningAai::RunningAai(RunningAai&& other) noexcept
    : pid_(other.pid_),
      out_path_(std::move(other.out_path_)),
      err_path_(std::move(other.err_path_)) {
  other.pid_ = -1;
}

// A test that fails before waiting must not leave the process behind.
RunningAai::~RunningAai() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    wait_for(pid_);
  }
}

void RunningAai::signal(int signal_number) const {
  if (pid_ > 0) {
    kill(pid_, signal_number);
  }
}

std::string RunningAai::output_so_far() const {
  return read_file(out_path_);
}

RunResult RunningAai::wait() {
  RunResult result;
  result.exit_code = wait_for(pid_);
  pid_ = -1;
  result.out = read_file(out_path_);
  result.err = read_file(err_path_);
  return result;
}

int free_loopback_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error("could not bind a loopback port");
  }
  close(fd);
  return ntohs(address.sin_port);
}

std::string read_text(const std::filesystem::path& path) {
  return read_file(path);
}

int kill_processes_mentioning(const std::string& marker) {
  int signalled = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::string name = entry.path().filename().string();
    if (!std::all_of(name.begin(), name.end(), ::isdigit)) {
      continue;
    }
    std::string cmdline = read_file(entry.path() / "cmdline");
    if (cmdline.find(marker) != std::string::npos && std::stoi(name) != getpid()) {
      kill(std::stoi(name), SIGTERM);
      ++signalled;
    }
  }
  return signalled;
}

}  // namespace aai::testing
