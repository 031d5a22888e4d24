#include "transcript_request.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>

#include "transcript_params.hpp"

namespace transcribe {
namespace {

constexpr const char* kConfigFileType = "invalid_config";

[[noreturn]] void throw_usage(const std::string& message, const std::string& suggestion) {
  throw aai::usage_error(message, suggestion);
}

std::vector<std::string> parse_policy_list(const std::string& text) {
  std::vector<std::string> policies;
  std::vector<std::string> unknown;
  std::stringstream stream(text);
  std::string policy;
  while (std::getline(stream, policy, ',')) {
    policy.erase(0, policy.find_first_not_of(' '));
    policy.erase(policy.find_last_not_of(' ') + 1);
    if (policy.empty()) {
      continue;
    }
    const auto& known = pii_policies();
    if (std::find(known.begin(), known.end(), policy) == known.end()) {
      unknown.push_back(policy);
    }
    policies.push_back(policy);
  }
  if (!unknown.empty() || policies.empty()) {
    std::string names;
    for (const auto& name : unknown) {
      names += (names.empty() ? "'" : ", '") + name + "'";
    }
    throw_usage(
        policies.empty() ? "Invalid --redact-pii-policy '" + text + "': no policy given."
                         : "Unknown PII policy " + names + " in --redact-pii-policy.",
        "Valid policies: " +
            [] {
              std::string all;
              for (const auto& name : pii_policies()) {
                all += (all.empty() ? "" : ", ") + name;
              }
              return all;
            }() +
            ".");
  }
  return policies;
}

long long at_least(const aai::Invocation& invocation, const std::string& name, long long minimum,
                   const std::string& unit) {
  const std::string text = *invocation.option(name);
  long long value = std::stoll(text);
  if (value < minimum) {
    throw_usage("Invalid --" + name + " '" + text + "': it must be at least " +
                    std::to_string(minimum) + ".",
                "Pass a whole number of " + unit + ".");
  }
  return value;
}

void add_switches(const aai::Invocation& invocation, nlohmann::json& params) {
  const std::vector<std::pair<const char*, const char*>> kSwitches = {
      {"language-detection", "language_detection"},
      {"speaker-labels", "speaker_labels"},
      {"redact-pii", "redact_pii"},
      {"summarization", "summarization"},
      {"auto-chapters", "auto_chapters"},
      {"sentiment-analysis", "sentiment_analysis"},
      {"entity-detection", "entity_detection"}};
  for (const auto& [option, field] : kSwitches) {
    if (invocation.flag(option)) {
      params[field] = true;
    }
  }
  for (const auto& [option, field] :
       {std::pair{"punctuate", "punctuate"}, std::pair{"format-text", "format_text"}}) {
    if (auto value = invocation.option(option)) {
      params[field] = *value == "true";
    }
  }
}

void add_texts(const aai::Invocation& invocation, nlohmann::json& params) {
  if (auto model = invocation.option("speech-model")) {
    params["speech_models"] = nlohmann::json::array({*model});
  }
  const std::vector<std::pair<const char*, const char*>> kTexts = {
      {"language-code", "language_code"},
      {"redact-pii-sub", "redact_pii_sub"},
      {"summary-model", "summary_model"},
      {"summary-type", "summary_type"},
      {"webhook-url", "webhook_url"}};
  for (const auto& [option, field] : kTexts) {
    if (auto value = invocation.option(option)) {
      params[field] = *value;
    }
  }
  for (const auto& [option, field] :
       {std::pair{"word-boost", "word_boost"}, std::pair{"keyterms-prompt", "keyterms_prompt"}}) {
    if (auto values = invocation.options(option); !values.empty()) {
      params[field] = values;
    }
  }
  if (auto policies = invocation.option("redact-pii-policy")) {
    params["redact_pii_policies"] = parse_policy_list(*policies);
  }
}

void add_numbers(const aai::Invocation& invocation, nlohmann::json& params) {
  if (invocation.option("speakers-expected")) {
    params["speakers_expected"] = at_least(invocation, "speakers-expected", 1, "speakers");
  }
  if (invocation.option("audio-start")) {
    params["audio_start_from"] = at_least(invocation, "audio-start", 0, "milliseconds");
  }
  if (invocation.option("audio-end")) {
    params["audio_end_at"] = at_least(invocation, "audio-end", 0, "milliseconds");
  }
}

void check_flag_conflicts(const aai::Invocation& invocation) {
  if (invocation.option("language-code") && invocation.flag("language-detection")) {
    throw_usage("--language-code and --language-detection cannot be used together.",
                "Pass --language-code to set the language, or --language-detection to detect it.");
  }
}

// Fails when the named flag behind `field` was given but `needed_field` is not true after the
// merge, so a switch set through --config also satisfies the rule.
void require_switch(const nlohmann::json& named_flags, const nlohmann::json& body,
                    const char* field, const char* flag, const char* needed_field,
                    const char* needed_flag) {
  if (named_flags.contains(field) && !body.value(needed_field, false)) {
    throw_usage(std::string("--") + flag + " needs --" + needed_flag + ".",
                std::string("Add --") + needed_flag + ", or drop --" + flag + ".");
  }
}

}  // namespace

nlohmann::json read_config_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw aai::Error(AAI_EXIT_USAGE, kConfigFileType, "Cannot read --config-file '" + path + "'.",
                     "Check that the file exists and is readable.");
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  nlohmann::json document = nlohmann::json::parse(text, nullptr, false);
  if (document.is_discarded() || !document.is_object()) {
    throw aai::Error(AAI_EXIT_USAGE, kConfigFileType,
                     "--config-file '" + path + "' is not a JSON object.",
                     "Write the parameters as one object, such as {\"speaker_labels\": true}.");
  }
  const std::string origin = "--config-file '" + path + "'";
  for (const auto& [key, value] : document.items()) {
    check_param_json(key, value, origin, kConfigFileType);
  }
  return document;
}

nlohmann::json parse_config_pairs(const std::vector<std::string>& pairs) {
  nlohmann::json params = nlohmann::json::object();
  for (const auto& pair : pairs) {
    const size_t equals = pair.find('=');
    if (equals == std::string::npos || equals == 0) {
      throw_usage("Invalid --config '" + pair + "': expected KEY=VALUE.",
                  "Write it as --config speakers_expected=2.");
    }
    const std::string key = pair.substr(0, equals);
    params[key] = coerce_param_text(key, pair.substr(equals + 1), "--config", "usage_error");
  }
  return params;
}

nlohmann::json named_flag_params(const aai::Invocation& invocation) {
  check_flag_conflicts(invocation);
  nlohmann::json params = nlohmann::json::object();
  add_switches(invocation, params);
  add_texts(invocation, params);
  add_numbers(invocation, params);
  return params;
}

nlohmann::json build_transcript_request(const nlohmann::json& config_file,
                                        const nlohmann::json& config_pairs,
                                        const nlohmann::json& named_flags,
                                        const std::string& audio_url) {
  nlohmann::json body = nlohmann::json::object();
  for (const auto* layer : {&config_file, &config_pairs, &named_flags}) {
    for (const auto& [key, value] : layer->items()) {
      body[key] = value;
    }
  }

  require_switch(named_flags, body, "speakers_expected", "speakers-expected", "speaker_labels",
                 "speaker-labels");
  require_switch(named_flags, body, "redact_pii_policies", "redact-pii-policy", "redact_pii",
                 "redact-pii");
  require_switch(named_flags, body, "redact_pii_sub", "redact-pii-sub", "redact_pii", "redact-pii");
  require_switch(named_flags, body, "summary_model", "summary-model", "summarization",
                 "summarization");
  require_switch(named_flags, body, "summary_type", "summary-type", "summarization",
                 "summarization");
  if (body.contains("audio_start_from") && body.contains("audio_end_at") &&
      body["audio_end_at"].get<long long>() <= body["audio_start_from"].get<long long>()) {
    throw_usage("--audio-end (" + body["audio_end_at"].dump() + ") must be after --audio-start (" +
                    body["audio_start_from"].dump() + ").",
                "Give both in milliseconds from the start of the audio.");
  }

  if (!body.contains("speech_model") && !body.contains("speech_models")) {
    body["speech_models"] = nlohmann::json::array({kDefaultSpeechModel});
  }
  body["audio_url"] = audio_url;
  return body;
}

nlohmann::json transcript_params_from(const aai::Invocation& invocation) {
  nlohmann::json config_file = nlohmann::json::object();
  if (auto path = invocation.option("config-file")) {
    config_file = read_config_file(*path);
  }
  nlohmann::json config_pairs = parse_config_pairs(invocation.options("config"));
  nlohmann::json flags = named_flag_params(invocation);
  nlohmann::json body = build_transcript_request(config_file, config_pairs, flags, "");
  body.erase("audio_url");
  return body;
}

}  // namespace transcribe
