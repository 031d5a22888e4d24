// Measures the peak resident memory of uploading a large file through libaai-net.so.
//
// Usage: upload_memory [SIZE_MIB]   (default 1024)
// The file is sparse, so creating it costs no disk space; the upload goes to an in-process
// sink server on 127.0.0.1. A streamed upload keeps peak RSS near the baseline; a body read
// whole into memory would add the file size.
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <string>

#include "host/net/http_transport.hpp"
#include "sink_server.hpp"

namespace {

constexpr uint64_t kMebibyte = 1024 * 1024;

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux.
}

std::filesystem::path create_sparse_file(uint64_t size_bytes) {
  std::string pattern = (std::filesystem::temp_directory_path() / "aai-bench-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("Failed to create a temporary folder from \"" + pattern + "\".");
  }
  const std::filesystem::path file = std::filesystem::path(pattern) / "upload.bin";
  std::FILE* stream = std::fopen(file.c_str(), "wb");
  if (stream == nullptr || ftruncate(fileno(stream), static_cast<off_t>(size_bytes)) != 0) {
    throw std::runtime_error("Failed to create the sparse file \"" + file.string() + "\".");
  }
  std::fclose(stream);
  return file;
}

int run(uint64_t size_mib) {
  const std::filesystem::path file = create_sparse_file(size_mib * kMebibyte);
  aai::bench::SinkServer server;
  auto transport = aai::host::load_http_transport(AAI_BENCH_NET_LIBRARY_DIR);
  const double baseline_mib = peak_rss_mib();

  aai::host::TransportRequest request;
  request.method = "POST";
  request.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/v2/upload";
  request.body_file = file;
  const auto started = std::chrono::steady_clock::now();
  const aai::host::TransportResponse response = transport->send(request);
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
  std::filesystem::remove_all(file.parent_path());

  const double sent_mib = static_cast<double>(server.received_bytes()) / kMebibyte;
  std::printf("file size:           %llu MiB (sparse)\n",
              static_cast<unsigned long long>(size_mib));
  std::printf("server received:     %.1f MiB, status %d\n", sent_mib, response.status);
  std::printf("upload time:         %.2f s (%.0f MiB/s)\n", elapsed.count(),
              sent_mib / elapsed.count());
  std::printf("peak RSS before:     %.1f MiB\n", baseline_mib);
  std::printf("peak RSS after:      %.1f MiB\n", peak_rss_mib());
  return response.status == 200 && server.received_bytes() == size_mib * kMebibyte ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const uint64_t size_mib = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1024;
  if (size_mib == 0) {
    std::fprintf(stderr, "upload_memory: invalid size \"%s\": expected a number of MiB.\n",
                 argv[1]);
    return 2;
  }
  try {
    return run(size_mib);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "upload_memory: %s\n", error.what());
    return 1;
  }
}
