#include "query_fields.hpp"

#include <aai/plugin.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include <nlohmann/json.hpp>

namespace streaming {
namespace {

enum class FieldKind { kText, kBoolean, kFraction, kInteger, kChoice, kTermList };

struct FieldRule {
  FieldKind kind;
  long long minimum;
  /// 0 for no upper bound.
  long long maximum;
  std::string unit;
};

FieldRule of_kind(FieldKind kind) {
  return {kind, 0, 0, ""};
}

FieldRule integer_rule(long long minimum, long long maximum, std::string unit) {
  return {FieldKind::kInteger, minimum, maximum, std::move(unit)};
}

const std::map<std::string, FieldRule>& field_rules() {
  static const std::map<std::string, FieldRule> rules = {
      {"end_of_turn_confidence_threshold", of_kind(FieldKind::kFraction)},
      {"vad_threshold", of_kind(FieldKind::kFraction)},
      {"voice_focus_threshold", of_kind(FieldKind::kFraction)},
      {"noise_suppression_threshold", of_kind(FieldKind::kFraction)},
      {"min_end_of_turn_silence_when_confident", integer_rule(1, 0, "milliseconds")},
      {"min_turn_silence", integer_rule(1, 0, "milliseconds")},
      {"max_turn_silence", integer_rule(1, 0, "milliseconds")},
      {"max_speakers", integer_rule(1, 10, "speakers")},
      {"inactivity_timeout", integer_rule(5, 3600, "seconds")},
      {"sample_rate", integer_rule(8000, 96000, "Hz")},
      {"format_turns", of_kind(FieldKind::kBoolean)},
      {"speaker_labels", of_kind(FieldKind::kBoolean)},
      {"language_detection", of_kind(FieldKind::kBoolean)},
      {"filter_profanity", of_kind(FieldKind::kBoolean)},
      {"continuous_partials", of_kind(FieldKind::kBoolean)},
      {"include_partial_turns", of_kind(FieldKind::kBoolean)},
      {"redact_pii", of_kind(FieldKind::kBoolean)},
      {"customer_support_audio_capture", of_kind(FieldKind::kBoolean)},
      {"speech_model", of_kind(FieldKind::kChoice)},
      {"encoding", of_kind(FieldKind::kChoice)},
      {"keyterms_prompt", of_kind(FieldKind::kTermList)},
  };
  return rules;
}

[[noreturn]] void throw_invalid(const std::string& label, const std::string& value,
                                const std::string& why, const std::string& suggestion) {
  throw aai::usage_error("Invalid " + label + " '" + value + "': " + why, suggestion);
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string check_boolean(const std::string& label, const std::string& value) {
  const std::string folded = lower(value);
  if (folded == "true" || folded == "false") {
    return folded;
  }
  throw_invalid(label, value, "it must be true or false.", "Write true or false.");
}

std::string check_fraction(const std::string& label, const std::string& value) {
  double number = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (error != std::errc() || end != value.data() + value.size() || !std::isfinite(number) ||
      number < 0 || number > 1) {
    throw_invalid(label, value, "it must be a number from 0 to 1.", "Pass a value such as 0.5.");
  }
  return value;
}

std::string check_integer(const std::string& label, const std::string& value,
                          const FieldRule& rule) {
  long long number = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
  const bool bounded = rule.maximum != 0;
  if (error != std::errc() || end != value.data() + value.size() || number < rule.minimum ||
      (bounded && number > rule.maximum)) {
    const std::string range =
        bounded ? "from " + std::to_string(rule.minimum) + " to " + std::to_string(rule.maximum)
                : "of at least " + std::to_string(rule.minimum);
    throw_invalid(label, value, "it must be a whole number " + range + ".",
                  "Pass a whole number of " + rule.unit + ".");
  }
  return std::to_string(number);
}

std::string check_choice(const std::string& field, const std::string& label,
                         const std::string& value) {
  const std::vector<std::string> encodings = {"pcm_s16le", "pcm_mulaw"};
  const auto& allowed = field == "encoding" ? encodings : streaming_speech_models();
  if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) {
    return value;
  }
  std::string listed;
  for (const auto& choice : allowed) {
    listed += (listed.empty() ? "" : ", ") + choice;
  }
  throw_invalid(label, value, "it must be one of " + listed + ".", "Pick one of those values.");
}

// A JSON array of strings is kept; any other text is one term.
std::string check_term_list(const std::string& label, const std::string& value) {
  const nlohmann::json parsed = nlohmann::json::parse(value, nullptr, false);
  if (!parsed.is_array()) {
    return nlohmann::json::array({value}).dump();
  }
  for (const auto& term : parsed) {
    if (!term.is_string()) {
      throw_invalid(label, value, "every term must be a string.",
                    "Write it as a JSON array of strings, such as [\"aai\",\"Universal\"].");
    }
  }
  return parsed.dump();
}

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

const std::vector<std::string>& streaming_speech_models() {
  static const std::vector<std::string> models = {
      "universal-3-5-pro", "universal-streaming-english", "universal-streaming-multilingual",
      "whisper-rt", "u3-rt-pro"};
  return models;
}

const std::vector<std::string>& config_keys() {
  static const std::vector<std::string> keys = {"end_of_turn_confidence_threshold",
                                                "min_end_of_turn_silence_when_confident",
                                                "min_turn_silence",
                                                "max_turn_silence",
                                                "vad_threshold",
                                                "format_turns",
                                                "keyterms_prompt",
                                                "filter_profanity",
                                                "prompt",
                                                "sample_rate",
                                                "encoding",
                                                "speech_model",
                                                "language_detection",
                                                "domain",
                                                "inactivity_timeout",
                                                "webhook_url",
                                                "webhook_auth_header_name",
                                                "webhook_auth_header_value",
                                                "llm_gateway",
                                                "speaker_labels",
                                                "max_speakers",
                                                "voice_focus",
                                                "voice_focus_threshold",
                                                "noise_suppression_model",
                                                "noise_suppression_threshold",
                                                "continuous_partials",
                                                "customer_support_audio_capture",
                                                "include_partial_turns",
                                                "redact_pii",
                                                "redact_pii_policies",
                                                "redact_pii_sub"};
  return keys;
}

std::string closest_config_key(const std::string& key) {
  const auto& keys = config_keys();
  return *std::min_element(keys.begin(), keys.end(), [&key](const auto& a, const auto& b) {
    return edit_distance(key, a) < edit_distance(key, b);
  });
}

std::string normalize_field(const std::string& field, const std::string& label,
                            const std::string& value) {
  const auto found = field_rules().find(field);
  if (found == field_rules().end()) {
    return value;
  }
  switch (found->second.kind) {
    case FieldKind::kBoolean:
      return check_boolean(label, value);
    case FieldKind::kFraction:
      return check_fraction(label, value);
    case FieldKind::kInteger:
      return check_integer(label, value, found->second);
    case FieldKind::kChoice:
      return check_choice(field, label, value);
    case FieldKind::kTermList:
      return check_term_list(label, value);
    case FieldKind::kText:
      break;
  }
  return value;
}

}  // namespace streaming
