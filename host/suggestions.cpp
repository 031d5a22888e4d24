#include "suggestions.hpp"

#include <algorithm>
#include <numeric>
#include <utility>

namespace aai::host {

size_t edit_distance(std::string_view left, std::string_view right) {
  std::vector<size_t> previous(right.size() + 1);
  std::iota(previous.begin(), previous.end(), size_t{0});
  std::vector<size_t> current(right.size() + 1);
  for (size_t i = 1; i <= left.size(); ++i) {
    current[0] = i;
    for (size_t j = 1; j <= right.size(); ++j) {
      size_t substitution = previous[j - 1] + (left[i - 1] == right[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
    }
    std::swap(previous, current);
  }
  return previous[right.size()];
}

std::vector<std::string> closest_matches(std::string_view typed,
                                         const std::vector<std::string>& candidates,
                                         size_t max_count) {
  std::vector<std::pair<size_t, std::string>> scored;
  for (const auto& candidate : candidates) {
    size_t limit = std::max<size_t>(1, std::max(typed.size(), candidate.size()) / 3);
    size_t distance = edit_distance(typed, candidate);
    bool is_prefix = !typed.empty() && candidate.rfind(typed, 0) == 0;
    if (distance <= limit || is_prefix) {
      scored.emplace_back(is_prefix ? 0 : distance, candidate);
    }
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> matches;
  for (const auto& [distance, candidate] : scored) {
    if (matches.size() == max_count) {
      break;
    }
    if (std::find(matches.begin(), matches.end(), candidate) == matches.end()) {
      matches.push_back(candidate);
    }
  }
  return matches;
}

std::string did_you_mean(const std::vector<std::string>& matches) {
  if (matches.empty()) {
    return {};
  }
  std::string text = "Did you mean '" + matches[0] + "'";
  for (size_t i = 1; i < matches.size(); ++i) {
    text += (i + 1 == matches.size() ? " or '" : ", '") + matches[i] + "'";
  }
  return text + "?";
}

}  // namespace aai::host
