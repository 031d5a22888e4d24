#include "stream_test_support.hpp"

#include <fcntl.h>
#include <unistd.h>

namespace streaming::testing {

StreamCommandTest::StreamCommandTest() {
  host.add_environment(
      "local", {{"api_base", "http://127.0.0.1:9"}, {"streaming_base", "ws://127.0.0.1:9"}});
  host.active_environment = "local";
  registrar.register_plugin(aai_plugin_entry(), host);
  backend.reset(aai_stream_audio_create_backend());
  environment = default_stream_environment();
  environment.audio_backend = [this]() -> AudioBackend& { return *backend; };
  if (::pipe(stdin_pipe) != 0) {
    throw std::runtime_error("pipe failed");
  }
  // Room for several seconds of audio, so a test can fill the pipe before the command runs.
  ::fcntl(stdin_pipe[1], F_SETPIPE_SZ, 1 << 20);
  environment.stdin_fd = stdin_pipe[0];
  environment.clock = &clock;
  environment.terminal_columns = 80;
  host.on_websocket_receive = [this](uint32_t timeout_ms) {
    clock.advance(std::chrono::milliseconds(timeout_ms));
  };
}

StreamCommandTest::~StreamCommandTest() {
  for (const int fd : stdin_pipe) {
    if (fd >= 0) {
      ::close(fd);
    }
  }
}

int StreamCommandTest::run_body(std::map<std::string, std::vector<std::string>> options,
                                std::vector<std::string> arguments, aai::RunFunction body) {
  aai::testing::RecordedCommand command = registrar.command("stream");
  aai::Command wrapped{"stream", "", "", {}, {}, std::move(body)};
  command.context = &wrapped;
  command.run = &aai::detail::run_command;
  aai::testing::FakeInvocation invocation(std::move(options), std::move(arguments));
  const int exit_code = invocation.run(command, host);
  failure = invocation.failure;
  return exit_code;
}

int StreamCommandTest::run(std::map<std::string, std::vector<std::string>> options,
                           std::vector<std::string> arguments) {
  return run_body(std::move(options), std::move(arguments),
                  [this](const aai::Host& run_host, const aai::Invocation& invocation) {
                    return run_stream_with(run_host, invocation, environment);
                  });
}

std::optional<StreamSettings> StreamCommandTest::settings_for(
    std::map<std::string, std::vector<std::string>> options, std::vector<std::string> arguments) {
  std::optional<StreamSettings> settings;
  run_body(std::move(options), std::move(arguments),
           [&settings](const aai::Host& run_host, const aai::Invocation& invocation) {
             settings = read_stream_settings(run_host, invocation);
             return 0;
           });
  return settings;
}

void StreamCommandTest::feed_stdin(const std::string& bytes) {
  for (size_t written = 0; written < bytes.size();) {
    const ssize_t step = ::write(stdin_pipe[1], bytes.data() + written, bytes.size() - written);
    if (step <= 0) {
      throw std::runtime_error("writing the stdin pipe failed");
    }
    written += static_cast<size_t>(step);
  }
  ::close(stdin_pipe[1]);
  stdin_pipe[1] = -1;
}

}  // namespace streaming::testing
