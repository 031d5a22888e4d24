// Runs the real aai binary and the real emulator for the integration tests.
#pragma once

#include <csignal>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace aai::testing {

/// Folder of the build tree under test (bin/aai, lib/aai/...).
std::filesystem::path build_dir();

/// A fresh temporary folder, removed with the object.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  /// Writes `content` to `name` inside the folder and returns its path.
  std::filesystem::path write(const std::string& name, const std::string& content) const;

 private:
  std::filesystem::path path_;
};

/// What one aai run produced.
struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// A started aai-local-server on a free loopback port, stopped with SIGTERM on destruction.
class Emulator {
 public:
  /// Starts the emulator with `--port 0` and waits for its ready line.
  explicit Emulator(const std::filesystem::path& data_dir,
                    const std::optional<std::string>& api_key = std::nullopt,
                    const std::vector<std::string>& extra_args = {});
  ~Emulator();
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;

  int port() const { return port_; }

  /// Stops the emulator with `signal_number` (SIGKILL drops its connections without a close)
  /// and returns its exit status.
  int stop(int signal_number = SIGTERM);

 private:
  int pid_ = -1;
  int port_ = 0;
};

/// An aai run started in the background; its output is collected when it is waited for.
class RunningAai {
 public:
  RunningAai(int pid, std::filesystem::path out_path, std::filesystem::path err_path);
  ~RunningAai();
  RunningAai(RunningAai&& other) noexcept;
  RunningAai(const RunningAai&) = delete;
  RunningAai& operator=(const RunningAai&) = delete;
  RunningAai& operator=(RunningAai&&) = delete;

  /// Sends `signal_number` to the process.
  void signal(int signal_number) const;

  /// Returns what the process has written to stdout so far.
  std::string output_so_far() const;

  /// Waits for the process to exit and returns what it printed.
  RunResult wait();

 private:
  int pid_ = -1;
  std::filesystem::path out_path_;
  std::filesystem::path err_path_;
};

/// An isolated user: its own config, data and plugin folders, and the variables aai reads.
class Sandbox {
 public:
  Sandbox();

  /// Sets (or with nullopt removes) a variable for later runs.
  void set_env(const std::string& name, const std::optional<std::string>& value);

  /// Runs `aai ARGS...` (the build tree's binary unless `executable` is given), with `input` on
  /// stdin, and waits for it to exit.
  RunResult run(const std::vector<std::string>& args, const std::string& input = {},
                const std::filesystem::path& executable = {}) const;

  /// Starts `aai ARGS...` like run, reading stdin from `input_file` (or an empty input), and
  /// returns without waiting.
  RunningAai start(const std::vector<std::string>& args,
                   const std::filesystem::path& input_file = {}) const;

  const std::filesystem::path& home() const { return home_.path(); }
  std::filesystem::path config_file() const;

 private:
  std::vector<std::string> environment_entries() const;

  TempDir home_;
  std::map<std::string, std::string> env_;
};

/// Returns a loopback port that was free a moment ago (bound to port 0, then closed).
int free_loopback_port();

/// Reads a whole file; empty when it does not exist.
std::string read_text(const std::filesystem::path& path);

/// Kills every process whose command line mentions `marker` (an auto-started emulator, found by
/// its unique data folder) and returns how many it signalled.
int kill_processes_mentioning(const std::string& marker);

}  // namespace aai::testing
