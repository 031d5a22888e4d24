// Latency and CPU of `aai stream` against a minimal WebSocket client, both streaming the same
// recording to the same emulator on 127.0.0.1.
//
// Usage: stream_latency AAI AUDIO.wav PORT [RUNS]
//
// For each run, the baseline (a bare Boost.Beast client in a child process) and `aai --env local
// stream AUDIO --json` each stream the recording in 100 ms frames paced in real time. Latency is
// the time from the end of the audio (Begin received + the audio's duration) to the arrival of
// the last final turn; CPU is the child's user + system time. The difference between the two
// rows is what the aai client adds.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using Clock = std::chrono::steady_clock;

constexpr size_t kFrameBytes = 3200;  // 100 ms of 16 kHz mono PCM16
constexpr double kBytesPerSecond = 32000.0;

struct Measurement {
  double latency_seconds = -1;
  double cpu_seconds = 0;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The payload of the WAV file's "data" chunk; the recording must be 16 kHz mono PCM16.
std::string wav_samples(const std::string& bytes) {
  size_t at = 12;
  while (at + 8 <= bytes.size()) {
    uint32_t size = 0;
    for (int i = 3; i >= 0; --i) {
      size = (size << 8) | static_cast<unsigned char>(bytes[at + 4 + static_cast<size_t>(i)]);
    }
    if (bytes.compare(at, 4, "data") == 0) {
      return bytes.substr(at + 8, size);
    }
    at += 8 + size + (size % 2);
  }
  return {};
}

double seconds_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

double children_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_CHILDREN, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

bool is_final_turn(const std::string& message) {
  return message.find("\"end_of_turn\":true") != std::string::npos;
}

// The baseline client: a read loop and a paced writer on one Asio thread, the least a client
// can do to stream a file.
class BaselineClient {
 public:
  BaselineClient(asio::io_context& io, const std::string& samples)
      : socket_(io), timer_(io), samples_(samples) {}

  double run(asio::io_context& io, int port) {
    asio::ip::tcp::resolver resolver(io);
    asio::connect(socket_.next_layer(), resolver.resolve("127.0.0.1", std::to_string(port)));
    socket_.set_option(
        beast::websocket::stream_base::decorator([](beast::websocket::request_type& request) {
          request.set(beast::http::field::authorization, "bench-key");
        }));
    socket_.handshake("127.0.0.1:" + std::to_string(port),
                      "/v3/ws?sample_rate=16000&encoding=pcm_s16le&format_turns=true");
    socket_.read(buffer_);  // Begin
    begin_ = Clock::now();
    last_final_ = begin_;
    // Each frame leaves once its 100 ms of audio have elapsed, as from a microphone; aai paces
    // files the same way, so both clients finish sending at the end of the audio.
    next_frame_ = begin_ + std::chrono::milliseconds(100);
    read_next();
    write_next();
    io.run();
    return seconds_between(begin_, last_final_) -
           static_cast<double>(samples_.size()) / kBytesPerSecond;
  }

 private:
  void read_next() {
    buffer_.clear();
    socket_.async_read(buffer_, [this](beast::error_code error, size_t) {
      if (error) {
        return;
      }
      std::string message = beast::buffers_to_string(buffer_.data());
      if (is_final_turn(message)) {
        last_final_ = Clock::now();
      }
      if (message.find("\"Termination\"") != std::string::npos) {
        socket_.async_close(beast::websocket::close_code::normal, [](beast::error_code) {});
        return;
      }
      read_next();
    });
  }

  void write_next() {
    if (sent_ >= samples_.size()) {
      socket_.text(true);
      socket_.async_write(asio::buffer(terminate_), [](beast::error_code, size_t) {});
      return;
    }
    timer_.expires_at(next_frame_);
    timer_.async_wait([this](beast::error_code error) {
      if (error) {
        return;
      }
      const size_t size = std::min(kFrameBytes, samples_.size() - sent_);
      socket_.binary(true);
      socket_.async_write(asio::buffer(samples_.data() + sent_, size),
                          [this, size](beast::error_code write_error, size_t) {
                            if (write_error) {
                              return;
                            }
                            sent_ += size;
                            next_frame_ += std::chrono::milliseconds(100);
                            write_next();
                          });
    });
  }

  beast::websocket::stream<asio::ip::tcp::socket> socket_;
  asio::steady_timer timer_;
  const std::string& samples_;
  const std::string terminate_ = R"({"type":"Terminate"})";
  beast::flat_buffer buffer_;
  size_t sent_ = 0;
  Clock::time_point begin_;
  Clock::time_point next_frame_;
  Clock::time_point last_final_;
};

double baseline_latency(const std::string& samples, int port) {
  asio::io_context io;
  BaselineClient client(io, samples);
  return client.run(io, port);
}

Measurement measure_baseline(const std::string& samples, int port) {
  int result_pipe[2];
  if (pipe(result_pipe) != 0) {
    std::perror("pipe");
    std::exit(1);
  }
  const double cpu_before = children_cpu_seconds();
  pid_t child = fork();
  if (child == 0) {
    close(result_pipe[0]);
    double latency = -1;
    try {
      latency = baseline_latency(samples, port);
    } catch (const std::exception& error) {
      std::cerr << "baseline: " << error.what() << '\n';
    }
    ssize_t written = write(result_pipe[1], &latency, sizeof latency);
    _exit(written == sizeof latency ? 0 : 1);
  }
  close(result_pipe[1]);
  Measurement measurement;
  if (read(result_pipe[0], &measurement.latency_seconds, sizeof(double)) != sizeof(double)) {
    measurement.latency_seconds = -1;
  }
  close(result_pipe[0]);
  waitpid(child, nullptr, 0);
  measurement.cpu_seconds = children_cpu_seconds() - cpu_before;
  return measurement;
}

Measurement measure_aai(const std::string& aai, const std::string& audio, double audio_seconds) {
  int out_pipe[2];
  if (pipe(out_pipe) != 0) {
    std::perror("pipe");
    std::exit(1);
  }
  const double cpu_before = children_cpu_seconds();
  pid_t child = fork();
  if (child == 0) {
    dup2(out_pipe[1], STDOUT_FILENO);
    close(out_pipe[0]);
    close(out_pipe[1]);
    execl(aai.c_str(), aai.c_str(), "--env", "local", "stream", audio.c_str(), "--json",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out_pipe[1]);
  FILE* out = fdopen(out_pipe[0], "r");
  std::optional<Clock::time_point> begin;
  Clock::time_point last_final;
  char* line = nullptr;
  size_t capacity = 0;
  while (getline(&line, &capacity, out) > 0) {
    const auto now = Clock::now();
    std::string text(line);
    if (!begin && text.find("\"type\":\"begin\"") != std::string::npos) {
      begin = now;
    } else if (is_final_turn(text)) {
      last_final = now;
    }
  }
  std::free(line);
  std::fclose(out);
  int status = 0;
  waitpid(child, &status, 0);
  Measurement measurement;
  measurement.cpu_seconds = children_cpu_seconds() - cpu_before;
  if (begin && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    measurement.latency_seconds = seconds_between(*begin, last_final) - audio_seconds;
  }
  return measurement;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values.empty() ? 0.0 : values[values.size() / 2];
}

void print_row(const char* name, const std::vector<Measurement>& runs, double audio_seconds) {
  std::vector<double> latencies;
  std::vector<double> cpu;
  for (const auto& run : runs) {
    if (run.latency_seconds < -0.5) {
      std::cerr << name << ": a run failed\n";
      continue;
    }
    latencies.push_back(run.latency_seconds * 1000);
    cpu.push_back(run.cpu_seconds * 1000);
  }
  std::printf("| %-8s | %5zu | %8.0f ms | %8.0f ms | %5.1f %% |\n", name, latencies.size(),
              median(latencies), median(cpu), median(cpu) / 10.0 / audio_seconds);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: stream_latency AAI AUDIO.wav PORT [RUNS]\n";
    return 2;
  }
  const std::string aai = argv[1];
  const std::string audio = argv[2];
  const int port = std::atoi(argv[3]);
  const int runs = argc > 4 ? std::atoi(argv[4]) : 5;
  const std::string samples = wav_samples(read_file(audio));
  if (samples.empty()) {
    std::cerr << "stream_latency: " << audio << " has no 16-bit PCM data chunk\n";
    return 1;
  }
  const double audio_seconds = static_cast<double>(samples.size()) / kBytesPerSecond;

  std::vector<Measurement> baseline;
  std::vector<Measurement> client;
  for (int run = 0; run < runs; ++run) {
    baseline.push_back(measure_baseline(samples, port));
    client.push_back(measure_aai(aai, audio, audio_seconds));
  }
  std::printf("Audio: %s (%.1f s), %d runs each; medians.\n\n", audio.c_str(), audio_seconds, runs);
  std::printf("| client   | runs  | end of audio to final turn | CPU per stream | CPU / audio |\n");
  std::printf("|---|---|---|---|---|\n");
  print_row("baseline", baseline, audio_seconds);
  print_row("aai", client, audio_seconds);
  return 0;
}
