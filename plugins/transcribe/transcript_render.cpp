#include "transcript_render.hpp"

#include <array>
#include <cstdio>
#include <set>
#include <vector>

namespace transcribe {
namespace {

std::string string_or_empty(const nlohmann::json& object, const char* key) {
  auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : "";
}

bool has_items(const nlohmann::json& transcript, const char* key) {
  auto found = transcript.find(key);
  return found != transcript.end() && found->is_array() && !found->empty();
}

std::string render_chapters(const nlohmann::json& chapters) {
  std::string text = "\nChapters\n";
  for (const auto& chapter : chapters) {
    text += format_timestamp(chapter.value("start", 0LL)) + "-" +
            format_timestamp(chapter.value("end", 0LL)) + " " +
            string_or_empty(chapter, "headline") + "\n";
  }
  return text;
}

// Percentages by the largest-remainder method, so that the three shown values sum to 100.
std::string render_sentiment(const nlohmann::json& results) {
  const std::array<const char*, 3> kNames = {"POSITIVE", "NEUTRAL", "NEGATIVE"};
  const std::array<const char*, 3> kLabels = {"Positive", "Neutral", "Negative"};
  std::array<long long, 3> counts{};
  long long total = 0;
  for (const auto& result : results) {
    const std::string sentiment = string_or_empty(result, "sentiment");
    for (size_t i = 0; i < kNames.size(); ++i) {
      if (sentiment == kNames[i]) {
        ++counts[i];
        ++total;
      }
    }
  }
  if (total == 0) {
    return "";
  }

  std::array<long long, 3> percents{};
  std::array<long long, 3> remainders{};
  long long assigned = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    percents[i] = counts[i] * 100 / total;
    remainders[i] = counts[i] * 100 % total;
    assigned += percents[i];
  }
  for (; assigned < 100; ++assigned) {
    size_t largest = 0;
    for (size_t i = 1; i < remainders.size(); ++i) {
      largest = remainders[i] > remainders[largest] ? i : largest;
    }
    ++percents[largest];
    remainders[largest] = -1;
  }

  std::string text = "\nSentiment\n";
  for (size_t i = 0; i < kLabels.size(); ++i) {
    text += std::string(kLabels[i]) + ": " + std::to_string(percents[i]) + "%\n";
  }
  return text;
}

std::string render_entities(const nlohmann::json& entities) {
  std::string text = "\nEntities\n";
  std::set<std::string> seen;
  for (const auto& entity : entities) {
    std::string line =
        string_or_empty(entity, "entity_type") + ": " + string_or_empty(entity, "text");
    if (seen.insert(line).second) {
      text += line + "\n";
    }
  }
  return text;
}

}  // namespace

std::string format_timestamp(long long ms) {
  const long long seconds = ms / 1000;
  char buffer[32];
  if (seconds >= 3600) {
    std::snprintf(buffer, sizeof buffer, "%lld:%02lld:%02lld", seconds / 3600, seconds / 60 % 60,
                  seconds % 60);
  } else {
    std::snprintf(buffer, sizeof buffer, "%02lld:%02lld", seconds / 60, seconds % 60);
  }
  return buffer;
}

std::string render_text(const nlohmann::json& transcript) {
  return string_or_empty(transcript, "text");
}

std::string render_utterances(const nlohmann::json& transcript) {
  if (!has_items(transcript, "utterances")) {
    return render_text(transcript);
  }
  std::string text;
  for (const auto& utterance : transcript["utterances"]) {
    text += "Speaker " + string_or_empty(utterance, "speaker") + ": " +
            string_or_empty(utterance, "text") + "\n";
  }
  text.pop_back();
  return text;
}

std::string render_human(const nlohmann::json& transcript) {
  std::string text = render_utterances(transcript) + "\n";
  if (std::string summary = string_or_empty(transcript, "summary"); !summary.empty()) {
    text += "\nSummary\n" + summary + (summary.ends_with("\n") ? "" : "\n");
  }
  if (has_items(transcript, "chapters")) {
    text += render_chapters(transcript["chapters"]);
  }
  if (has_items(transcript, "sentiment_analysis_results")) {
    text += render_sentiment(transcript["sentiment_analysis_results"]);
  }
  if (has_items(transcript, "entities")) {
    text += render_entities(transcript["entities"]);
  }
  text.pop_back();
  return text;
}

std::string render_field(const nlohmann::json& transcript, const std::string& format) {
  if (format == "json") {
    return transcript.dump();
  }
  if (format == "id" || format == "status") {
    return string_or_empty(transcript, format.c_str());
  }
  if (format == "utterances") {
    return render_utterances(transcript);
  }
  if (format == "text") {
    return render_text(transcript);
  }
  return render_human(transcript);
}

}  // namespace transcribe
