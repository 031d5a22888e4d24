#include "ams_client.hpp"

#include "ams_reply.hpp"

namespace auth_stytch {

namespace {

// 30 s leaves room for a slow network, while the host's 5-minute default would leave a failed
// sign-in hanging for minutes.
constexpr uint32_t kAmsTimeoutMs = 30000;

std::optional<std::vector<Organization>> read_organizations(const nlohmann::json& reply) {
  auto found = reply.find("organizations");
  if (found == reply.end() || !found->is_array()) {
    return std::nullopt;
  }
  std::vector<Organization> organizations;
  for (const auto& entry : *found) {
    std::optional<std::string> id = string_member(entry, "organization_id");
    if (!id) {
      return std::nullopt;
    }
    organizations.push_back({*id, string_member(entry, "organization_name").value_or(*id)});
  }
  return organizations;
}

}  // namespace

AmsClient::AmsClient(const aai::Host& host, std::string ams_base)
    : host_(host), ams_base_(std::move(ams_base)) {}

Discovery AmsClient::discover(const std::string& one_time_token) {
  const std::string path = "/v2/auth/discover";
  const nlohmann::json reply = call(
      "POST", path, nlohmann::json{{"token", one_time_token}, {"token_type", "discovery_oauth"}},
      std::nullopt);

  std::optional<std::string> token = string_member(reply, "intermediate_session_token");
  std::optional<std::vector<Organization>> organizations = read_organizations(reply);
  if (!token || !organizations) {
    throw unexpected_ams_reply("POST " + path);
  }
  host_.add_secret(*token);
  return Discovery{*token, std::move(*organizations), string_member(reply, "email")};
}

Exchange AmsClient::exchange(const std::string& intermediate_session_token,
                             const std::string& organization_id) {
  const std::string path = "/v2/auth/exchange";
  const nlohmann::json reply =
      call("POST", path,
           nlohmann::json{{"intermediate_session_token", intermediate_session_token},
                          {"organization_id", organization_id}},
           std::nullopt);

  std::optional<std::string> jwt = string_member(reply, "session_jwt");
  std::optional<std::string> session_token = string_member(reply, "session_token");
  if (jwt) {
    host_.add_secret(*jwt);
  }
  if (session_token) {
    host_.add_secret(*session_token);
  }
  std::optional<std::string> account_id =
      reply.contains("account") ? id_member(reply["account"], "id") : std::nullopt;
  if (!jwt || !session_token || !account_id) {
    throw unexpected_ams_reply("POST " + path);
  }
  return Exchange{SessionTokens{*jwt, *session_token}, *account_id};
}

nlohmann::json AmsClient::list_projects(const std::string& account_id,
                                        const std::string& session_jwt) {
  const std::string path = "/v1/users/accounts/" + account_id + "/projects";
  nlohmann::json reply = call("GET", path, std::nullopt, session_jwt);
  if (!reply.is_array()) {
    throw unexpected_ams_reply("GET " + path);
  }
  return reply;
}

std::string AmsClient::create_cli_key(const std::string& account_id, const std::string& session_jwt,
                                      const nlohmann::json& project_id) {
  const std::string path = "/v1/users/accounts/" + account_id + "/tokens";
  const nlohmann::json reply =
      call("POST", path, nlohmann::json{{"project_id", project_id}, {"token_name", kCliKeyName}},
           session_jwt);

  std::optional<std::string> api_key = string_member(reply, "api_key");
  if (!api_key) {
    throw unexpected_ams_reply("POST " + path);
  }
  host_.add_secret(*api_key);
  return *api_key;
}

nlohmann::json AmsClient::call(const std::string& method, const std::string& path,
                               const std::optional<nlohmann::json>& body,
                               const std::optional<std::string>& session_jwt) {
  aai::HttpRequest request;
  request.method = method;
  request.url = ams_base_ + path;
  request.timeout_ms = kAmsTimeoutMs;
  request.headers.emplace_back("Accept", "application/json");
  if (body) {
    request.body = body->dump();
    request.headers.emplace_back("Content-Type", "application/json");
  }
  if (session_jwt) {
    // A plain header, not a credential header: the JWT is already registered as a secret, and
    // the host masks Cookie values in -vv output.
    request.headers.emplace_back("Cookie", "stytch_session_jwt=" + *session_jwt);
  }

  const aai::HttpResponse response = host_.send(request);
  const std::string request_line = method + " " + path;
  if (response.status >= 400) {
    throw ams_status_error(response.status, response.body, request_line);
  }
  nlohmann::json parsed = nlohmann::json::parse(response.body, nullptr, false);
  if (response.status < 200 || response.status >= 300 || parsed.is_discarded()) {
    throw unexpected_ams_reply(request_line);
  }
  return parsed;
}

}  // namespace auth_stytch
