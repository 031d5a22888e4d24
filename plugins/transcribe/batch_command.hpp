// `aai transcribe` with several sources, a folder, a glob pattern or --from-stdin.
#pragma once

#include <aai/plugin.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace transcribe {

inline constexpr size_t kDefaultConcurrency = 4;
inline constexpr long long kMaxConcurrency = 64;

/// The option specs for --concurrency, --force and --from-stdin.
std::vector<aai::Option> batch_options();

/// Reads --concurrency. Throws aai::Error usage_error naming the value when it is not 1..64.
size_t read_concurrency(const aai::Invocation& invocation);

/// Runs the batch over `arguments` (and standard input with --from-stdin). Returns 0 when every
/// source completed or was skipped. Throws aai::Error batch_failed (exit 1) listing the failed
/// sources, interrupted (exit 130) after Ctrl-C, and usage errors before the first request.
int run_transcribe_batch(const aai::Host& host, const aai::Invocation& invocation,
                         const std::vector<std::string>& arguments);

}  // namespace transcribe
