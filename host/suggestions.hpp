// "Did you mean" suggestions for mistyped command and option names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace aai::host {

/// Returns the Levenshtein distance between two strings.
size_t edit_distance(std::string_view left, std::string_view right);

/// Returns the candidates closest to `typed`, best first, keeping those within a distance of a
/// third of the longer length (at least 1) and at most `max_count`.
std::vector<std::string> closest_matches(std::string_view typed,
                                         const std::vector<std::string>& candidates,
                                         size_t max_count = 3);

/// Returns "Did you mean 'a'?" or "Did you mean 'a' or 'b'?", or "" when there are none.
std::string did_you_mean(const std::vector<std::string>& matches);

}  // namespace aai::host
