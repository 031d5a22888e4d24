// Keyring entries and config keys of a profile's credentials, laid out as AssemblyAI's Python
// CLI lays them out so both clients read the same keyring.
#pragma once

#include <string>

namespace auth_stytch {

/// Keyring service under which every aai secret is stored.
inline constexpr const char* kSecretService = "assemblyai-cli";

/// Name of this plugin's credential provider (config key core.credential_provider).
inline constexpr const char* kProviderName = "auth-stytch";

/// Keyring account of a profile's API key: the profile name itself.
inline std::string api_key_account(const std::string& profile) {
  return profile;
}

/// Keyring account of a profile's browser session, a JSON object {"jwt": ..., "token": ...}.
inline std::string session_account(const std::string& profile) {
  return "session:" + profile;
}

inline std::string api_key_label(const std::string& profile) {
  return "AssemblyAI API key (" + profile + ")";
}

inline std::string session_label(const std::string& profile) {
  return "AssemblyAI session (" + profile + ")";
}

/// Config section of a profile; it contains the keys env, account_id and email.
inline std::string profile_section(const std::string& profile) {
  return "profile." + profile;
}

}  // namespace auth_stytch
