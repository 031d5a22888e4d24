#include "server/login_routes.hpp"

#include <regex>

#include "server/query_string.hpp"

namespace aai::local {

namespace {

using nlohmann::json;

const std::regex kProjectsPath("/v1/users/accounts/([^/]+)/projects");
const std::regex kTokensPath("/v1/users/accounts/([^/]+)/tokens");

// A port, then an optional path and query of printable ASCII without '#': a fragment would
// swallow the query the redirect appends, and spaces or control characters would break the
// Location header.
const std::regex kLoopbackRedirect(
    "http://(127\\.0\\.0\\.1|localhost):([0-9]{1,5})([/?][!-\"$-~]*)?");

constexpr const char* kDiscoveryStartPath = "/stytch/v1/b2b/public/oauth/google/discovery/start";

ApiResponse detail_response(unsigned status, const std::string& detail) {
  return json_response(status, {{"detail", detail}});
}

// Stytch's error shape, so a browser shows the same fields the real service would send.
ApiResponse stytch_error(const std::string& error_type, const std::string& message) {
  return json_response(
      400, {{"status_code", 400}, {"error_type", error_type}, {"error_message", message}});
}

bool is_loopback_redirect(const std::string& url) {
  std::smatch match;
  if (!std::regex_match(url, match, kLoopbackRedirect)) {
    return false;
  }
  int port = std::stoi(match[2].str());
  return port >= 1 && port <= 65535;
}

// Parses a JSON object body. On failure, sets `problem` to the 400 response.
std::optional<json> parse_object(const std::string& body, std::optional<ApiResponse>& problem) {
  json parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded()) {
    problem = detail_response(400, "The request body is not valid JSON.");
    return std::nullopt;
  }
  if (!parsed.is_object()) {
    problem = detail_response(400, "The request body must be a JSON object.");
    return std::nullopt;
  }
  return parsed;
}

// Returns the non-empty string member `name`. On failure, sets `problem` to the 400 response.
std::string required_text(const json& object, const std::string& name,
                          std::optional<ApiResponse>& problem) {
  auto member = object.find(name);
  if (member == object.end()) {
    problem = detail_response(400, name + " is missing.");
    return {};
  }
  if (!member->is_string() || member->get_ref<const std::string&>().empty()) {
    problem =
        detail_response(400, name + " must be a non-empty string, not " + member->dump() + ".");
    return {};
  }
  return member->get<std::string>();
}

std::optional<int64_t> parse_account_id(const std::string& text) {
  if (text.empty() || text.size() > 18 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoll(text);
}

std::string cookie_value(const std::string& cookie_header, const std::string& name) {
  size_t start = 0;
  while (start < cookie_header.size()) {
    size_t end = cookie_header.find(';', start);
    std::string pair = cookie_header.substr(start, end == std::string::npos ? end : end - start);
    size_t first = pair.find_first_not_of(' ');
    size_t equals = pair.find('=');
    if (first != std::string::npos && equals != std::string::npos &&
        pair.substr(first, equals - first) == name) {
      return pair.substr(equals + 1);
    }
    if (end == std::string::npos) {
      break;
    }
    start = end + 1;
  }
  return {};
}

constexpr const char* kSignupPath = "/signup";

constexpr const char* kSignupPage =
    "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>aai local emulator</title>"
    "</head>\n<body><h1>No sign-up on the local emulator</h1>\n<p>The emulator has no real "
    "accounts. It signs in the first identity of its accounts file. To give that identity an "
    "organization, add one to the file and restart the emulator with <code>aai local serve "
    "--accounts FILE</code>; docs/local-emulator.md describes the format.</p></body></html>\n";

}  // namespace

LoginRoutes::LoginRoutes(AccountStore& accounts, LoginSessions& sessions)
    : accounts_(accounts), sessions_(sessions) {}

bool LoginRoutes::handles(const std::string& path) {
  return path == kSignupPath || path.rfind("/stytch/", 0) == 0 || path.rfind("/ams/", 0) == 0;
}

ApiResponse LoginRoutes::handle(const ApiRequest& request) {
  RequestTarget target = parse_target(request.target);
  if (target.path == kSignupPath) {
    // The local environment's signup_url, which `aai login` shows to an account without an
    // organization. The emulator has no sign-up: identities come from the accounts file.
    return {200, "text/html; charset=utf-8", kSignupPage, {}};
  }
  if (target.path.rfind("/ams/", 0) == 0) {
    return route_ams(request, target.path.substr(4));
  }
  if (target.path != kDiscoveryStartPath) {
    return json_response(404, {{"status_code", 404},
                               {"error_type", "not_found"},
                               {"error_message", "The emulator serves no " + target.path + "."}});
  }
  if (request.method != "GET") {
    return json_response(405, {{"status_code", 405},
                               {"error_type", "method_not_allowed"},
                               {"error_message", "Use GET on " + target.path + "."}});
  }
  return start_discovery(request.target);
}

ApiResponse LoginRoutes::route_ams(const ApiRequest& request, const std::string& path) {
  std::smatch match;
  std::string expected_method = "POST";
  if (path == "/v2/auth/discover" && request.method == "POST") {
    return discover(request.body);
  }
  if (path == "/v2/auth/exchange" && request.method == "POST") {
    return exchange(request.body);
  }
  if (std::regex_match(path, match, kProjectsPath)) {
    if (request.method == "GET") {
      return list_projects(request, match[1]);
    }
    expected_method = "GET";
  } else if (std::regex_match(path, match, kTokensPath)) {
    if (request.method == "POST") {
      return mint_token(request, match[1]);
    }
  } else if (path != "/v2/auth/discover" && path != "/v2/auth/exchange") {
    return detail_response(404, "Not found");
  }
  return detail_response(405, "Method " + request.method + " is not allowed on /ams" + path +
                                  "; use " + expected_method + ".");
}

ApiResponse LoginRoutes::start_discovery(const std::string& target) {
  RequestTarget parsed = parse_target(target);
  auto public_token = parsed.query.find("public_token");
  if (public_token == parsed.query.end() || public_token->second != kLocalPublicToken) {
    std::string given =
        public_token == parsed.query.end() ? "none" : "\"" + public_token->second + "\"";
    return stytch_error(
        "public_token_invalid",
        "public_token must be \"public-token-local\" on the local emulator, not " + given + ".");
  }
  auto redirect = parsed.query.find("discovery_redirect_url");
  if (redirect == parsed.query.end() || redirect->second.empty()) {
    return stytch_error("invalid_discovery_redirect_url", "discovery_redirect_url is missing.");
  }
  const std::string& redirect_url = redirect->second;
  if (!is_loopback_redirect(redirect_url)) {
    return stytch_error("invalid_discovery_redirect_url",
                        "discovery_redirect_url must be an http://127.0.0.1:PORT or "
                        "http://localhost:PORT URL without a fragment, not " +
                            json(redirect_url).dump() + ".");
  }

  std::string token = sessions_.issue_discovery_token(accounts_.first_identity_email());
  char separator = redirect_url.find('?') == std::string::npos ? '?' : '&';
  ApiResponse response{
      302, "text/plain; charset=utf-8", "Redirecting to the sign-in callback.\n", {}};
  response.headers.emplace_back(
      "Location", redirect_url + separator + "stytch_token_type=discovery_oauth&token=" + token);
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

ApiResponse LoginRoutes::discover(const std::string& body) {
  std::optional<ApiResponse> problem;
  std::optional<json> request = parse_object(body, problem);
  std::string token = request ? required_text(*request, "token", problem) : "";
  std::string token_type = problem ? "" : required_text(*request, "token_type", problem);
  if (problem) {
    return *problem;
  }
  if (token_type != "discovery_oauth") {
    return detail_response(
        400, "token_type must be \"discovery_oauth\", not " + json(token_type).dump() + ".");
  }
  std::optional<std::string> email = sessions_.redeem_discovery_token(token);
  if (!email) {
    return detail_response(401, "The discovery token is unknown, expired or already used.");
  }

  json organizations = json::array();
  for (const Organization& organization : accounts_.organizations(*email)) {
    organizations.push_back({{"organization_id", organization.organization_id},
                             {"organization_name", organization.organization_name}});
  }
  return json_response(
      200, {{"intermediate_session_token", sessions_.issue_intermediate_session(*email)},
            {"organizations", organizations},
            {"email", *email}});
}

ApiResponse LoginRoutes::exchange(const std::string& body) {
  std::optional<ApiResponse> problem;
  std::optional<json> request = parse_object(body, problem);
  std::string token = request ? required_text(*request, "intermediate_session_token", problem) : "";
  std::string organization_id = problem ? "" : required_text(*request, "organization_id", problem);
  if (problem) {
    return *problem;
  }
  std::optional<std::string> email = sessions_.intermediate_session_identity(token);
  if (!email) {
    return detail_response(401,
                           "The intermediate session token is unknown, expired or already used.");
  }

  for (const Organization& organization : accounts_.organizations(*email)) {
    if (organization.organization_id == organization_id) {
      sessions_.end_intermediate_session(token);
      Session session = sessions_.start_session(*email, organization.account_id);
      return json_response(200, {{"session_jwt", session.session_jwt},
                                 {"session_token", session.session_token},
                                 {"account", {{"id", organization.account_id}}}});
    }
  }
  return detail_response(
      403, *email + " is not a member of organization " + json(organization_id).dump() + ".");
}

std::optional<ApiResponse> LoginRoutes::session_problem(const ApiRequest& request,
                                                        int64_t account_id) const {
  std::string session_jwt = cookie_value(request.cookie, "stytch_session_jwt");
  if (session_jwt.empty()) {
    return detail_response(401, "The stytch_session_jwt cookie is missing. Sign in first.");
  }
  std::optional<int64_t> session_account = sessions_.session_account(session_jwt);
  if (!session_account) {
    return detail_response(401, "The session is unknown or expired. Sign in again.");
  }
  if (!accounts_.projects(account_id)) {
    return detail_response(404, "Account " + std::to_string(account_id) + " not found.");
  }
  if (*session_account != account_id) {
    return detail_response(
        401, "The session does not belong to account " + std::to_string(account_id) + ".");
  }
  return std::nullopt;
}

ApiResponse LoginRoutes::list_projects(const ApiRequest& request, const std::string& account_id) {
  std::optional<int64_t> id = parse_account_id(account_id);
  if (!id) {
    return detail_response(404, "Account " + json(account_id).dump() + " not found.");
  }
  if (auto problem = session_problem(request, *id)) {
    return *problem;
  }
  return json_response(200, accounts_.projects(*id).value_or(json::array()));
}

ApiResponse LoginRoutes::mint_token(const ApiRequest& request, const std::string& account_id) {
  std::optional<int64_t> id = parse_account_id(account_id);
  if (!id) {
    return detail_response(404, "Account " + json(account_id).dump() + " not found.");
  }
  std::optional<ApiResponse> problem = session_problem(request, *id);
  std::optional<json> body = problem ? std::nullopt : parse_object(request.body, problem);
  std::string token_name = problem ? "" : required_text(*body, "token_name", problem);
  if (problem) {
    return *problem;
  }
  if (!body->contains("project_id")) {
    return detail_response(400, "project_id is missing.");
  }
  const json& project_id = body->at("project_id");
  if (!project_id.is_number_integer()) {
    return detail_response(400, "project_id must be an integer, not " + project_id.dump() + ".");
  }

  std::optional<json> token = accounts_.mint_token(*id, project_id.get<int64_t>(), token_name);
  if (!token) {
    return detail_response(
        400, "Project " + project_id.dump() + " is not in account " + std::to_string(*id) + ".");
  }
  return json_response(200, *token);
}

}  // namespace aai::local
