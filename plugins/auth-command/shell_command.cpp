#include "shell_command.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string_view>
#include <system_error>
#include <thread>

extern char** environ;

namespace auth_command {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kPollInterval(50);
constexpr size_t kReadChunkBytes = 4096;

std::system_error system_error(int code, const std::string& what) {
  return std::system_error(code, std::generic_category(), what);
}

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() { reset(); }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;

  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }

 private:
  int fd_;
};

// The posix_spawn attribute and file action objects, destroyed on every path.
struct SpawnSettings {
  SpawnSettings() {
    posix_spawnattr_init(&attributes);
    posix_spawn_file_actions_init(&file_actions);
  }
  ~SpawnSettings() {
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&file_actions);
  }
  SpawnSettings(const SpawnSettings&) = delete;
  SpawnSettings& operator=(const SpawnSettings&) = delete;

  posix_spawnattr_t attributes;
  posix_spawn_file_actions_t file_actions;
};

// The shell's process; the destructor kills its group and reaps it unless it already exited, so
// an exception never leaves a running command or a zombie behind.
class ChildProcess {
 public:
  explicit ChildProcess(pid_t pid) : pid_(pid) {}
  ~ChildProcess() {
    if (!reaped_) {
      kill_group();
    }
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  bool reaped() const { return reaped_; }
  int wait_status() const { return wait_status_; }

  void try_reap() {
    if (!reaped_ && ::waitpid(pid_, &wait_status_, WNOHANG) == pid_) {
      reaped_ = true;
    }
  }

  // The group id equals the shell's pid because the shell was started with pgroup 0.
  void kill_group() {
    ::kill(-pid_, SIGKILL);
    while (!reaped_) {
      const pid_t waited = ::waitpid(pid_, &wait_status_, 0);
      reaped_ = waited == pid_ || (waited < 0 && errno != EINTR);
    }
  }

 private:
  pid_t pid_;
  int wait_status_ = 0;
  bool reaped_ = false;
};

bool has_name(std::string_view variable, const std::string& name) {
  return variable.size() > name.size() && variable.substr(0, name.size()) == name &&
         variable[name.size()] == '=';
}

std::vector<std::string> child_environment(const ShellCommand& command) {
  std::vector<std::string> variables;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view variable(*entry);
    const bool replaced =
        std::any_of(command.extra_environment.begin(), command.extra_environment.end(),
                    [&](const auto& added) { return has_name(variable, added.first); });
    if (!replaced) {
      variables.emplace_back(variable);
    }
  }
  for (const auto& [name, value] : command.extra_environment) {
    variables.push_back(name + "=" + value);
  }
  return variables;
}

void configure_spawn(SpawnSettings& settings, int stdout_fd) {
  // aai ignores SIGPIPE and handles SIGINT and SIGTERM itself; the command gets the default
  // actions, as it would when started from a shell.
  sigset_t default_signals;
  sigemptyset(&default_signals);
  for (const int signal_number : {SIGPIPE, SIGINT, SIGTERM, SIGQUIT, SIGHUP}) {
    sigaddset(&default_signals, signal_number);
  }
  sigset_t no_signals;
  sigemptyset(&no_signals);

  // A process group of its own lets a timeout kill the shell and everything it started. The
  // group is not the terminal's foreground group, so a command that reads /dev/tty to prompt is
  // stopped by SIGTTIN and then killed at the timeout: credential commands cannot prompt.
  posix_spawnattr_setflags(&settings.attributes,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&settings.attributes, 0);
  posix_spawnattr_setsigmask(&settings.attributes, &no_signals);
  posix_spawnattr_setsigdefault(&settings.attributes, &default_signals);
  posix_spawn_file_actions_addopen(&settings.file_actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&settings.file_actions, stdout_fd, STDOUT_FILENO);
}

pid_t spawn_shell(const ShellCommand& command, int stdout_fd) {
  SpawnSettings settings;
  configure_spawn(settings, stdout_fd);

  std::vector<std::string> environment = child_environment(command);
  std::vector<char*> environment_pointers;
  for (auto& variable : environment) {
    environment_pointers.push_back(variable.data());
  }
  environment_pointers.push_back(nullptr);
  std::string shell = "/bin/sh";
  std::string flag = "-c";
  std::string command_line = command.command_line;
  char* arguments[] = {shell.data(), flag.data(), command_line.data(), nullptr};

  pid_t pid = 0;
  const int error = posix_spawn(&pid, shell.c_str(), &settings.file_actions, &settings.attributes,
                                arguments, environment_pointers.data());
  if (error != 0) {
    throw system_error(error, "cannot start /bin/sh");
  }
  return pid;
}

// Waits up to `wait` for output and appends what arrives; returns true at end of file.
bool read_available(int fd, milliseconds wait, std::string& output) {
  pollfd watched{fd, POLLIN, 0};
  const int ready = ::poll(&watched, 1, static_cast<int>(wait.count()));
  if (ready < 0 && errno != EINTR) {
    throw system_error(errno, "cannot wait for the command's output");
  }
  if (ready <= 0) {
    return false;
  }
  char chunk[kReadChunkBytes];
  const ssize_t count = ::read(fd, chunk, sizeof chunk);
  if (count < 0) {
    if (errno == EINTR || errno == EAGAIN) {
      return false;
    }
    throw system_error(errno, "cannot read the command's output");
  }
  output.append(chunk, static_cast<size_t>(count));
  return count == 0;
}

ShellResult stopped(ChildProcess& child, ShellResult::Outcome outcome) {
  child.kill_group();
  // Partial output is dropped: it may hold part of a secret and is never used.
  return ShellResult{outcome, 0, {}};
}

ShellResult finished(const ChildProcess& child, std::string output) {
  const int status = child.wait_status();
  if (WIFSIGNALED(status)) {
    return ShellResult{ShellResult::Outcome::kSignaled, WTERMSIG(status), std::move(output)};
  }
  return ShellResult{ShellResult::Outcome::kExited, WEXITSTATUS(status), std::move(output)};
}

}  // namespace

ShellResult run_shell_command(const ShellCommand& command) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    throw system_error(errno, "cannot create a pipe");
  }
  FileDescriptor read_end(pipe_fds[0]);
  FileDescriptor write_end(pipe_fds[1]);
  ChildProcess child(spawn_shell(command, write_end.get()));
  write_end.reset();

  // The loop ends when stdout is closed and the shell has exited, since a shell may close
  // stdout and keep running, or exit while a background job still holds stdout open.
  const auto deadline = Clock::now() + command.timeout;
  std::string output;
  bool end_of_output = false;
  while (!end_of_output || !child.reaped()) {
    if (command.is_interrupted && command.is_interrupted()) {
      return stopped(child, ShellResult::Outcome::kInterrupted);
    }
    const auto now = Clock::now();
    if (now >= deadline) {
      return stopped(child, ShellResult::Outcome::kTimedOut);
    }
    const auto slice = std::min(std::chrono::ceil<milliseconds>(deadline - now), kPollInterval);
    if (!end_of_output) {
      end_of_output = read_available(read_end.get(), slice, output);
    } else {
      std::this_thread::sleep_for(std::min(slice, milliseconds(5)));
    }
    if (output.size() > command.max_output_bytes) {
      return stopped(child, ShellResult::Outcome::kOutputTooLarge);
    }
    child.try_reap();
  }
  return finished(child, std::move(output));
}

}  // namespace auth_command
