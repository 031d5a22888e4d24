#include "server/transcript_list.hpp"

#include <algorithm>
#include <regex>

#include "server/query_string.hpp"
#include "server/transcript_record.hpp"

namespace aai::local {

namespace {

constexpr int64_t kDefaultLimit = 10;
constexpr int64_t kMaxLimit = 200;

struct ListFilter {
  int64_t limit = kDefaultLimit;
  std::string status;
  std::string created_on;
  std::optional<int64_t> before_sequence;
  std::optional<int64_t> after_sequence;
  bool throttled_only = false;
};

using Query = std::map<std::string, std::string>;

std::optional<std::string> parse_limit(const Query& query, ListFilter& filter) {
  auto found = query.find("limit");
  if (found == query.end()) {
    return std::nullopt;
  }
  static const std::regex kDigits("[0-9]{1,4}");
  if (!std::regex_match(found->second, kDigits) || std::stoll(found->second) < 1 ||
      std::stoll(found->second) > kMaxLimit) {
    return "limit must be an integer from 1 to 200, not \"" + found->second + "\".";
  }
  filter.limit = std::stoll(found->second);
  return std::nullopt;
}

std::optional<std::string> parse_anchor(const TranscriptStore& store, const Query& query,
                                        const std::string& name, std::optional<int64_t>& out) {
  auto found = query.find(name);
  if (found == query.end()) {
    return std::nullopt;
  }
  auto record = store.find(found->second);
  if (!record) {
    return name + " \"" + found->second + "\" is not the id of a transcript.";
  }
  out = record->sequence;
  return std::nullopt;
}

std::optional<std::string> parse_filter(const TranscriptStore& store, const Query& query,
                                        ListFilter& filter) {
  if (auto problem = parse_limit(query, filter)) {
    return problem;
  }
  if (auto found = query.find("status"); found != query.end()) {
    static const std::regex kStatus("queued|processing|completed|error");
    if (!std::regex_match(found->second, kStatus)) {
      return "status must be one of queued, processing, completed, error, not \"" + found->second +
             "\".";
    }
    filter.status = found->second;
  }
  if (auto found = query.find("created_on"); found != query.end()) {
    static const std::regex kDate("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    if (!std::regex_match(found->second, kDate)) {
      return "created_on must be a date as YYYY-MM-DD, not \"" + found->second + "\".";
    }
    filter.created_on = found->second;
  }
  if (auto found = query.find("throttled_only"); found != query.end()) {
    if (found->second != "true" && found->second != "false") {
      return "throttled_only must be true or false, not \"" + found->second + "\".";
    }
    filter.throttled_only = found->second == "true";
  }
  if (auto problem = parse_anchor(store, query, "before_id", filter.before_sequence)) {
    return problem;
  }
  return parse_anchor(store, query, "after_id", filter.after_sequence);
}

bool passes(const TranscriptRecord& record, const ListFilter& filter) {
  // The emulator never throttles, so throttled_only matches nothing.
  if (filter.throttled_only) {
    return false;
  }
  if (!filter.status.empty() && record.status() != filter.status) {
    return false;
  }
  return filter.created_on.empty() || record.created.rfind(filter.created_on, 0) == 0;
}

std::string page_url(const std::string& base_url, const ListFilter& filter,
                     const std::string& anchor_name, const std::string& anchor_id) {
  std::string url = base_url + "/v2/transcript?limit=" + std::to_string(filter.limit);
  if (!filter.status.empty()) {
    url += "&status=" + filter.status;
  }
  if (!filter.created_on.empty()) {
    url += "&created_on=" + filter.created_on;
  }
  return url + "&" + anchor_name + "=" + percent_encode(anchor_id);
}

}  // namespace

ApiResponse list_transcripts(const TranscriptStore& store, const std::string& base_url,
                             const std::string& target, const Query& query) {
  ListFilter filter;
  if (auto problem = parse_filter(store, query, filter)) {
    return error_response(400, *problem);
  }

  std::vector<TranscriptRecord> matching;
  for (auto& record : store.newest_first()) {
    if (passes(record, filter)) {
      matching.push_back(std::move(record));
    }
  }
  std::vector<const TranscriptRecord*> window;
  for (const auto& record : matching) {
    bool older_than_before = !filter.before_sequence || record.sequence < *filter.before_sequence;
    bool newer_than_after = !filter.after_sequence || record.sequence > *filter.after_sequence;
    if (older_than_before && newer_than_after) {
      window.push_back(&record);
    }
  }
  // With after_id the page is the run of transcripts right after that id, so it keeps the oldest
  // of the newer ones.
  size_t count = std::min<size_t>(window.size(), static_cast<size_t>(filter.limit));
  size_t first = filter.after_sequence && !filter.before_sequence ? window.size() - count : 0;
  std::vector<const TranscriptRecord*> page(window.begin() + first, window.begin() + first + count);

  nlohmann::json items = nlohmann::json::array();
  for (const auto* record : page) {
    items.push_back(list_item(*record, base_url));
  }
  bool has_older = !page.empty() && matching.back().sequence < page.back()->sequence;
  bool has_newer = !page.empty() && matching.front().sequence > page.front()->sequence;
  nlohmann::json page_details = {
      {"limit", filter.limit},
      {"result_count", page.size()},
      {"current_url", base_url + target},
      {"prev_url", has_older
                       ? nlohmann::json(page_url(base_url, filter, "before_id", page.back()->id()))
                       : nlohmann::json(nullptr)},
      {"next_url", has_newer
                       ? nlohmann::json(page_url(base_url, filter, "after_id", page.front()->id()))
                       : nlohmann::json(nullptr)}};
  return json_response(200, {{"page_details", page_details}, {"transcripts", items}});
}

}  // namespace aai::local
