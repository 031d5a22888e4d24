#include "server/transcript_params.hpp"

#include <algorithm>

namespace aai::local {

namespace {

enum class FieldKind {
  kBoolean,
  kInteger,
  kNumber,
  kString,
  kStringArray,
  kObject,
  kCustomSpelling,
  kSpeechModel,
  kSpeechModels,
};

struct FieldRule {
  const char* name;
  FieldKind kind;
  bool nullable;
  nlohmann::json default_value;
  nlohmann::json minimum;
  nlohmann::json maximum;
  std::vector<std::string> choices;
};

FieldRule boolean_field(const char* name, bool default_value) {
  return {name, FieldKind::kBoolean, false, default_value, nullptr, nullptr, {}};
}

FieldRule choice_field(const char* name, bool nullable, nlohmann::json default_value,
                       std::vector<std::string> choices) {
  return {name,    FieldKind::kString, nullable, std::move(default_value), nullptr,
          nullptr, std::move(choices)};
}

FieldRule plain_field(const char* name, FieldKind kind, bool nullable = false,
                      nlohmann::json default_value = nullptr) {
  return {name, kind, nullable, std::move(default_value), nullptr, nullptr, {}};
}

FieldRule range_field(const char* name, FieldKind kind, bool nullable, nlohmann::json default_value,
                      nlohmann::json minimum, nlohmann::json maximum) {
  return {name, kind, nullable, std::move(default_value), std::move(minimum), std::move(maximum),
          {}};
}

// The published TranscriptParams fields with their types, defaults and limits.
const std::vector<FieldRule>& field_rules() {
  static const std::vector<FieldRule> rules = {
      plain_field("audio_url", FieldKind::kString),
      plain_field("audio_end_at", FieldKind::kInteger),
      plain_field("audio_start_from", FieldKind::kInteger),
      boolean_field("auto_chapters", false),
      boolean_field("auto_highlights", false),
      boolean_field("content_safety", false),
      range_field("content_safety_confidence", FieldKind::kInteger, false, 50, 25, 100),
      plain_field("custom_spelling", FieldKind::kCustomSpelling),
      boolean_field("custom_topics", false),
      boolean_field("disfluencies", false),
      boolean_field("entity_detection", false),
      boolean_field("filter_profanity", false),
      boolean_field("format_text", true),
      boolean_field("iab_categories", false),
      plain_field("keyterms_prompt", FieldKind::kStringArray),
      plain_field("language_code", FieldKind::kString, true, "en_us"),
      plain_field("language_codes", FieldKind::kStringArray, true),
      range_field("language_confidence_threshold", FieldKind::kNumber, false, 0, 0, 1),
      boolean_field("language_detection", false),
      plain_field("language_detection_options", FieldKind::kObject),
      boolean_field("multichannel", false),
      plain_field("prompt", FieldKind::kString),
      boolean_field("punctuate", true),
      boolean_field("redact_pii", false),
      boolean_field("redact_pii_audio", false),
      plain_field("redact_pii_audio_options", FieldKind::kObject),
      choice_field("redact_pii_audio_quality", false, "mp3", {"mp3", "wav"}),
      plain_field("redact_pii_policies", FieldKind::kStringArray),
      choice_field("redact_pii_sub", true, "hash", {"entity_name", "hash"}),
      choice_field("remove_audio_tags", true, nullptr, {"all"}),
      boolean_field("sentiment_analysis", false),
      boolean_field("speaker_labels", false),
      plain_field("speaker_options", FieldKind::kObject),
      plain_field("speakers_expected", FieldKind::kInteger, true),
      plain_field("speech_model", FieldKind::kSpeechModel, true),
      plain_field("speech_models", FieldKind::kSpeechModels),
      range_field("speech_threshold", FieldKind::kNumber, true, 0, 0, 1),
      plain_field("speech_understanding", FieldKind::kObject),
      boolean_field("summarization", false),
      choice_field("summary_model", false, "informative",
                   {"informative", "conversational", "catchy"}),
      choice_field("summary_type", false, "bullets",
                   {"bullets", "bullets_verbose", "gist", "headline", "paragraph"}),
      range_field("temperature", FieldKind::kNumber, false, 0, 0, 1),
      plain_field("topics", FieldKind::kStringArray),
      plain_field("webhook_auth_header_name", FieldKind::kString, true),
      plain_field("webhook_auth_header_value", FieldKind::kString, true),
      plain_field("webhook_url", FieldKind::kString),
  };
  return rules;
}

std::string join(const std::vector<std::string>& values) {
  std::string joined;
  for (const auto& value : values) {
    joined += (joined.empty() ? "" : ", ") + value;
  }
  return joined;
}

bool is_string_array(const nlohmann::json& value) {
  return value.is_array() &&
         std::all_of(value.begin(), value.end(), [](const auto& item) { return item.is_string(); });
}

bool is_custom_spelling(const nlohmann::json& value) {
  return value.is_array() && std::all_of(value.begin(), value.end(), [](const auto& item) {
           return item.is_object() && item.size() == 2 && item.contains("from") &&
                  is_string_array(item["from"]) && item.contains("to") && item["to"].is_string();
         });
}

bool has_kind(const nlohmann::json& value, FieldKind kind) {
  switch (kind) {
    case FieldKind::kBoolean:
      return value.is_boolean();
    case FieldKind::kInteger:
      return value.is_number_integer();
    case FieldKind::kNumber:
      return value.is_number();
    case FieldKind::kString:
    case FieldKind::kSpeechModel:
      return value.is_string();
    case FieldKind::kStringArray:
    case FieldKind::kSpeechModels:
      return is_string_array(value);
    case FieldKind::kObject:
      return value.is_object();
    case FieldKind::kCustomSpelling:
      return is_custom_spelling(value);
  }
  return false;
}

std::string kind_name(FieldKind kind) {
  switch (kind) {
    case FieldKind::kBoolean:
      return "a boolean";
    case FieldKind::kInteger:
      return "an integer";
    case FieldKind::kNumber:
      return "a number";
    case FieldKind::kString:
    case FieldKind::kSpeechModel:
      return "a string";
    case FieldKind::kStringArray:
    case FieldKind::kSpeechModels:
      return "an array of strings";
    case FieldKind::kObject:
      return "an object";
    case FieldKind::kCustomSpelling:
      return "an array of {\"from\": [strings], \"to\": string} objects";
  }
  return "valid";
}

std::optional<std::string> check_speech_model(const std::string& field, const std::string& model) {
  const auto& known = known_speech_models();
  if (std::find(known.begin(), known.end(), model) != known.end()) {
    return std::nullopt;
  }
  return "Unknown speech model \"" + model + "\" in " + field + ". Known models: " + join(known) +
         ".";
}

std::optional<std::string> check_value(const FieldRule& rule, const nlohmann::json& value) {
  std::string name = rule.name;
  if (value.is_null() && rule.nullable) {
    return std::nullopt;
  }
  if (!has_kind(value, rule.kind)) {
    return name + " must be " + kind_name(rule.kind) + (rule.nullable ? " or null" : "") +
           ", not " + value.dump() + ".";
  }
  bool below = !rule.minimum.is_null() && value < rule.minimum;
  bool above = !rule.maximum.is_null() && value > rule.maximum;
  if (below || above) {
    return name + " must be between " + rule.minimum.dump() + " and " + rule.maximum.dump() +
           ", not " + value.dump() + ".";
  }
  if (!rule.choices.empty() && std::find(rule.choices.begin(), rule.choices.end(),
                                         value.get<std::string>()) == rule.choices.end()) {
    return name + " must be one of " + join(rule.choices) + ", not " + value.dump() + ".";
  }
  if (rule.kind == FieldKind::kSpeechModel) {
    return check_speech_model(name, value.get<std::string>());
  }
  if (rule.kind == FieldKind::kSpeechModels) {
    for (const auto& model : value) {
      if (auto problem = check_speech_model(name, model.get<std::string>())) {
        return problem;
      }
    }
  }
  return std::nullopt;
}

const FieldRule* find_rule(const std::string& name) {
  for (const FieldRule& rule : field_rules()) {
    if (name == rule.name) {
      return &rule;
    }
  }
  return nullptr;
}

}  // namespace

const std::vector<std::string>& known_speech_models() {
  static const std::vector<std::string> models = {
      "best",  "nano", "slam-1", "universal", "universal-2", "universal-3-pro", "universal-3-5-pro",
      "u3-pro"};
  return models;
}

std::optional<std::string> validate_transcript_params(const nlohmann::json& body) {
  if (!body.is_object()) {
    return "The request body must be a JSON object, not " + body.dump() + ".";
  }
  for (const auto& [name, value] : body.items()) {
    const FieldRule* rule = find_rule(name);
    if (rule == nullptr) {
      return "Unknown field \"" + name + "\" in the transcript request.";
    }
    if (auto problem = check_value(*rule, value)) {
      return problem;
    }
  }
  if (!body.contains("audio_url")) {
    return "audio_url is required.";
  }
  return std::nullopt;
}

nlohmann::json echoed_params(const nlohmann::json& body) {
  nlohmann::json echoed = nlohmann::json::object();
  for (const FieldRule& rule : field_rules()) {
    echoed[rule.name] = body.contains(rule.name) ? body[rule.name] : rule.default_value;
  }
  return echoed;
}

}  // namespace aai::local
