#include "transcript_params.hpp"

#include <aai/plugin.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <sstream>

namespace transcribe {
namespace {

const std::vector<std::string> kSummaryModels = {"informative", "conversational", "catchy"};
const std::vector<std::string> kSummaryTypes = {"bullets", "bullets_verbose", "gist", "headline",
                                                "paragraph"};

std::string describe_type(const ParamSpec& spec) {
  switch (spec.type) {
    case ParamType::kBoolean:
      return "true or false";
    case ParamType::kInteger:
      return "an integer";
    case ParamType::kNumber:
      return "a number";
    case ParamType::kString:
      return "a string";
    case ParamType::kEnum:
      return "one of " + [&] {
        std::string joined;
        for (const auto& value : spec.allowed) {
          joined += (joined.empty() ? "" : ", ") + value;
        }
        return joined;
      }();
    case ParamType::kStringList:
      return "a comma-separated list or a JSON array of strings";
    case ParamType::kEnumList:
      return "a comma-separated list of known values";
    case ParamType::kObject:
      return "a JSON object";
    case ParamType::kObjectList:
      return "a JSON array of objects";
  }
  return "a value";
}

[[noreturn]] void throw_bad_value(const ParamSpec& spec, const std::string& shown,
                                  const std::string& origin, const std::string& error_type) {
  throw aai::Error(AAI_EXIT_USAGE, error_type,
                   "Invalid value '" + shown + "' for " + spec.name + " in " + origin +
                       ": expected " + describe_type(spec) + ".",
                   "Fix the value; AssemblyAI's API reference describes every parameter.");
}

const ParamSpec& require_param(const std::string& key, const std::string& origin,
                               const std::string& error_type) {
  if (const ParamSpec* spec = find_param(key)) {
    return *spec;
  }
  throw aai::Error(AAI_EXIT_USAGE, error_type,
                   "Unknown transcript parameter '" + key + "' in " + origin + ".",
                   "Valid parameters: " + param_names() + ".");
}

bool contains(const std::vector<std::string>& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    const size_t first = item.find_first_not_of(' ');
    const size_t last = item.find_last_not_of(' ');
    if (first != std::string::npos) {
      items.push_back(item.substr(first, last - first + 1));
    }
  }
  return items;
}

nlohmann::json parse_json_or_null(const std::string& text) {
  return nlohmann::json::parse(text, nullptr, false);
}

nlohmann::json coerce_scalar(const ParamSpec& spec, const std::string& text, bool& ok) {
  ok = true;
  if (spec.type == ParamType::kBoolean) {
    if (text == "true" || text == "1" || text == "yes") {
      return true;
    }
    if (text == "false" || text == "0" || text == "no") {
      return false;
    }
  } else if (spec.type == ParamType::kInteger) {
    errno = 0;
    char* end = nullptr;
    long long value = std::strtoll(text.c_str(), &end, 10);
    if (!text.empty() && *end == '\0' && errno == 0) {
      return value;
    }
  } else if (spec.type == ParamType::kNumber) {
    errno = 0;
    char* end = nullptr;
    double value = std::strtod(text.c_str(), &end);
    if (!text.empty() && *end == '\0' && errno == 0) {
      return value;
    }
  } else if (spec.type == ParamType::kString) {
    return text;
  } else if (spec.type == ParamType::kEnum && contains(spec.allowed, text)) {
    return text;
  }
  ok = false;
  return nullptr;
}

}  // namespace

const std::vector<ParamSpec>& transcript_params() {
  // Field names and types of TranscriptOptionalParams in AssemblyAI's OpenAPI description of the
  // v2 API, plus word_boost and boost_param for --word-boost. NOTE: that description no longer
  // lists word_boost and boost_param, so the service may reject them.
  static const std::vector<ParamSpec> kParams = {
      {"audio_end_at", ParamType::kInteger, {}},
      {"audio_start_from", ParamType::kInteger, {}},
      {"auto_chapters", ParamType::kBoolean, {}},
      {"auto_highlights", ParamType::kBoolean, {}},
      {"boost_param", ParamType::kEnum, {"low", "default", "high"}},
      {"content_safety", ParamType::kBoolean, {}},
      {"content_safety_confidence", ParamType::kInteger, {}},
      {"custom_spelling", ParamType::kObjectList, {}},
      {"custom_topics", ParamType::kBoolean, {}},
      {"disfluencies", ParamType::kBoolean, {}},
      {"entity_detection", ParamType::kBoolean, {}},
      {"filter_profanity", ParamType::kBoolean, {}},
      {"format_text", ParamType::kBoolean, {}},
      {"iab_categories", ParamType::kBoolean, {}},
      {"keyterms_prompt", ParamType::kStringList, {}},
      {"language_code", ParamType::kString, {}},
      {"language_codes", ParamType::kStringList, {}},
      {"language_confidence_threshold", ParamType::kNumber, {}},
      {"language_detection", ParamType::kBoolean, {}},
      {"language_detection_options", ParamType::kObject, {}},
      {"multichannel", ParamType::kBoolean, {}},
      {"prompt", ParamType::kString, {}},
      {"punctuate", ParamType::kBoolean, {}},
      {"redact_pii", ParamType::kBoolean, {}},
      {"redact_pii_audio", ParamType::kBoolean, {}},
      {"redact_pii_audio_options", ParamType::kObject, {}},
      {"redact_pii_audio_quality", ParamType::kEnum, {"mp3", "wav"}},
      {"redact_pii_policies", ParamType::kEnumList, pii_policies()},
      {"redact_pii_sub", ParamType::kEnum, {"entity_name", "hash"}},
      {"remove_audio_tags", ParamType::kEnum, {"all"}},
      {"sentiment_analysis", ParamType::kBoolean, {}},
      {"speaker_labels", ParamType::kBoolean, {}},
      {"speaker_options", ParamType::kObject, {}},
      {"speakers_expected", ParamType::kInteger, {}},
      {"speech_model", ParamType::kString, {}},
      {"speech_models", ParamType::kStringList, {}},
      {"speech_threshold", ParamType::kNumber, {}},
      {"speech_understanding", ParamType::kObject, {}},
      {"summarization", ParamType::kBoolean, {}},
      {"summary_model", ParamType::kEnum, kSummaryModels},
      {"summary_type", ParamType::kEnum, kSummaryTypes},
      {"temperature", ParamType::kNumber, {}},
      {"topics", ParamType::kStringList, {}},
      {"webhook_auth_header_name", ParamType::kString, {}},
      {"webhook_auth_header_value", ParamType::kString, {}},
      {"webhook_url", ParamType::kString, {}},
      {"word_boost", ParamType::kStringList, {}},
  };
  return kParams;
}

const ParamSpec* find_param(const std::string& name) {
  for (const auto& spec : transcript_params()) {
    if (name == spec.name) {
      return &spec;
    }
  }
  return nullptr;
}

const std::vector<std::string>& pii_policies() {
  static const std::vector<std::string> kPolicies = {"account_number",
                                                     "banking_information",
                                                     "blood_type",
                                                     "credit_card_cvv",
                                                     "credit_card_expiration",
                                                     "credit_card_number",
                                                     "date",
                                                     "date_interval",
                                                     "date_of_birth",
                                                     "drivers_license",
                                                     "drug",
                                                     "duration",
                                                     "email_address",
                                                     "event",
                                                     "filename",
                                                     "gender_sexuality",
                                                     "healthcare_number",
                                                     "injury",
                                                     "ip_address",
                                                     "language",
                                                     "location",
                                                     "marital_status",
                                                     "medical_condition",
                                                     "medical_process",
                                                     "money_amount",
                                                     "nationality",
                                                     "number_sequence",
                                                     "occupation",
                                                     "organization",
                                                     "passport_number",
                                                     "password",
                                                     "person_age",
                                                     "person_name",
                                                     "phone_number",
                                                     "physical_attribute",
                                                     "political_affiliation",
                                                     "religion",
                                                     "statistics",
                                                     "time",
                                                     "url",
                                                     "us_social_security_number",
                                                     "username",
                                                     "vehicle_id",
                                                     "zodiac_sign"};
  return kPolicies;
}

const std::vector<std::string>& speech_models() {
  // The Python SDK's SpeechModel values, plus the model the CLI sends by default.
  static const std::vector<std::string> kModels = {"best", "nano", "slam-1", "universal",
                                                   kDefaultSpeechModel};
  return kModels;
}

std::string param_names() {
  std::string names;
  for (const auto& spec : transcript_params()) {
    names += (names.empty() ? "" : ", ") + std::string(spec.name);
  }
  return names;
}

nlohmann::json coerce_param_text(const std::string& key, const std::string& text,
                                 const std::string& origin, const std::string& error_type) {
  const ParamSpec& spec = require_param(key, origin, error_type);
  if (spec.type == ParamType::kObject || spec.type == ParamType::kObjectList) {
    nlohmann::json value = parse_json_or_null(text);
    check_param_json(key, value.is_discarded() ? nlohmann::json(text) : value, origin, error_type);
    return value;
  }
  if (spec.type == ParamType::kStringList || spec.type == ParamType::kEnumList) {
    nlohmann::json value =
        text.starts_with("[") ? parse_json_or_null(text) : nlohmann::json(split_commas(text));
    if (value.is_discarded()) {
      throw_bad_value(spec, text, origin, error_type);
    }
    check_param_json(key, value, origin, error_type);
    return value;
  }
  bool ok = false;
  nlohmann::json value = coerce_scalar(spec, text, ok);
  if (!ok) {
    throw_bad_value(spec, text, origin, error_type);
  }
  return value;
}

void check_param_json(const std::string& key, const nlohmann::json& value,
                      const std::string& origin, const std::string& error_type) {
  const ParamSpec& spec = require_param(key, origin, error_type);
  const std::string shown = value.is_string() ? value.get<std::string>() : value.dump();
  bool ok = false;
  switch (spec.type) {
    case ParamType::kBoolean:
      ok = value.is_boolean();
      break;
    case ParamType::kInteger:
      ok = value.is_number_integer();
      break;
    case ParamType::kNumber:
      ok = value.is_number();
      break;
    case ParamType::kString:
      ok = value.is_string();
      break;
    case ParamType::kEnum:
      ok = value.is_string() && contains(spec.allowed, value.get<std::string>());
      break;
    case ParamType::kStringList:
    case ParamType::kEnumList:
      ok = value.is_array() && std::all_of(value.begin(), value.end(), [&](const auto& item) {
             return item.is_string() && (spec.type == ParamType::kStringList ||
                                         contains(spec.allowed, item.template get<std::string>()));
           });
      break;
    case ParamType::kObject:
      ok = value.is_object();
      break;
    case ParamType::kObjectList:
      ok = value.is_array() && std::all_of(value.begin(), value.end(),
                                           [](const auto& item) { return item.is_object(); });
      break;
  }
  if (!ok) {
    throw_bad_value(spec, shown, origin, error_type);
  }
}

}  // namespace transcribe
