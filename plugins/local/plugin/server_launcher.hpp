// Finding and starting aai-local-server from the plugin, without linking any server code.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace aai::local {

/// Returns <plugin dir>/../libexec/aai-local-server, found from this plugin file's own path.
std::filesystem::path server_executable();

/// Returns whether something accepts TCP connections on 127.0.0.1:`port` within `timeout`.
bool accepts_connections(uint16_t port, std::chrono::milliseconds timeout);

/// Replaces the process with the server and `arguments`; returns only by throwing aai::Error.
[[noreturn]] void exec_server(const std::vector<std::string>& arguments);

/// Starts the server in its own session, detached from the terminal, with stdout and stderr
/// appended to `log_file`, and waits up to `wait` until it accepts connections on `port`.
/// Throws aai::Error (exit 1) when it exits or does not accept connections in time.
void start_server_in_background(const std::vector<std::string>& arguments, uint16_t port,
                                const std::filesystem::path& log_file,
                                std::chrono::milliseconds wait);

}  // namespace aai::local
