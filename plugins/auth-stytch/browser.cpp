#include "browser.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <optional>
#include <string_view>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace auth_stytch {

namespace {

using CommandLine = std::vector<std::string>;

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = std::min(text.find(separator, start), text.size());
    if (end > start) {
      parts.push_back(text.substr(start, end - start));
    }
    start = end + 1;
  }
  return parts;
}

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (size_t position = text.find(from); position != std::string::npos;
       position = text.find(from, position + to.size())) {
    text.replace(position, from.size(), to);
  }
}

// The commands to try in order, each with the URL already in place.
std::vector<CommandLine> browser_commands(const std::string& url) {
  const char* browser_variable = std::getenv("BROWSER");
  if (browser_variable == nullptr || *browser_variable == '\0') {
    return {{"xdg-open", url}};
  }

  std::vector<CommandLine> commands;
  for (const std::string_view entry : split(browser_variable, ':')) {
    CommandLine command;
    bool has_placeholder = false;
    for (const std::string_view word : split(entry, ' ')) {
      std::string argument(word);
      if (argument.find("%s") != std::string::npos) {
        has_placeholder = true;
        replace_all(argument, "%s", url);
      }
      command.push_back(std::move(argument));
    }
    if (command.empty()) {
      continue;
    }
    if (!has_placeholder) {
      command.push_back(url);
    }
    commands.push_back(std::move(command));
  }
  return commands;
}

// Owns the file actions and attributes that posix_spawnp reads, and releases them.
class SpawnSettings {
 public:
  SpawnSettings() {
    posix_spawn_file_actions_init(&actions_);
    posix_spawnattr_init(&attributes_);
    posix_spawn_file_actions_addopen(&actions_, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions_, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);

    // aai ignores SIGPIPE and may block signals, and a started program would inherit both.
    sigset_t no_signals;
    sigemptyset(&no_signals);
    posix_spawnattr_setsigmask(&attributes_, &no_signals);
    sigset_t default_signals;
    sigemptyset(&default_signals);
    sigaddset(&default_signals, SIGPIPE);
    sigaddset(&default_signals, SIGINT);
    sigaddset(&default_signals, SIGTERM);
    posix_spawnattr_setsigdefault(&attributes_, &default_signals);
    // A process group of its own keeps the terminal's Ctrl-C, meant for aai, from closing the
    // browser.
    posix_spawnattr_setpgroup(&attributes_, 0);
    posix_spawnattr_setflags(
        &attributes_, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
  }

  ~SpawnSettings() {
    posix_spawnattr_destroy(&attributes_);
    posix_spawn_file_actions_destroy(&actions_);
  }

  SpawnSettings(const SpawnSettings&) = delete;
  SpawnSettings& operator=(const SpawnSettings&) = delete;

  // Starts `command` found through PATH. Returns its process id, or nullopt when it could not
  // be started.
  std::optional<pid_t> spawn(const CommandLine& command) const {
    std::vector<char*> arguments;
    for (const std::string& argument : command) {
      arguments.push_back(const_cast<char*>(argument.c_str()));
    }
    arguments.push_back(nullptr);
    pid_t process_id = 0;
    // glibc reports a failed exec (such as a missing program) as this call's result.
    if (posix_spawnp(&process_id, arguments[0], &actions_, &attributes_, arguments.data(),
                     environ) != 0) {
      return std::nullopt;
    }
    return process_id;
  }

 private:
  posix_spawn_file_actions_t actions_;
  posix_spawnattr_t attributes_;
};

class SystemBrowser : public BrowserLauncher {
 public:
  ~SystemBrowser() override {
    // A browser that is still running is left alone. If it exits later, it stays a zombie only
    // until aai exits, when init reaps it.
    reap();
  }

  bool open(const std::string& url) override {
    reap();
    child_.reset();
    failed_ = false;
    const SpawnSettings settings;
    for (const CommandLine& command : browser_commands(url)) {
      child_ = settings.spawn(command);
      if (child_) {
        return true;
      }
    }
    return false;
  }

  bool failed() override {
    reap();
    return failed_;
  }

 private:
  // Collects the exit status of a child that has exited, without waiting for one that has not.
  void reap() {
    if (!child_) {
      return;
    }
    int status = 0;
    const pid_t reaped = waitpid(*child_, &status, WNOHANG);
    if (reaped == 0 || (reaped == -1 && errno == EINTR)) {
      return;
    }
    if (reaped == *child_) {
      failed_ = !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    }
    child_.reset();
  }

  std::optional<pid_t> child_;
  bool failed_ = false;
};

}  // namespace

std::unique_ptr<BrowserLauncher> make_system_browser() {
  return std::make_unique<SystemBrowser>();
}

}  // namespace auth_stytch
