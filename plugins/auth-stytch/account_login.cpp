#include "account_login.hpp"

#include "ams_client.hpp"
#include "cli_key_choice.hpp"

namespace auth_stytch {

namespace {

const Organization& pick_organization(const aai::Host& host, const Discovery& discovery) {
  const std::string account = discovery.email.value_or("The account");
  if (discovery.organizations.empty()) {
    const std::string subject = discovery.email ? "The account " + *discovery.email : account;
    throw aai::Error(AAI_EXIT_FAILURE, "api_error", subject + " belongs to no organization.",
                     "Create one at " + host.require_environment_field("signup_url") +
                         ", then run `aai login` again.");
  }
  const Organization& chosen = discovery.organizations.front();
  if (discovery.organizations.size() > 1) {
    host.note(account + " belongs to " + std::to_string(discovery.organizations.size()) +
              " organizations; signed in to '" + chosen.name + "' (" + chosen.id + ").");
  }
  return chosen;
}

std::string find_or_create_key(const aai::Host& host, AmsClient& ams, const Exchange& exchange) {
  const nlohmann::json projects = ams.list_projects(exchange.account_id, exchange.session.jwt);
  const CliKeyChoice choice =
      choose_cli_key(projects, "GET /v1/users/accounts/" + exchange.account_id + "/projects");
  if (choice.reusable_key) {
    host.add_secret(*choice.reusable_key);
    host.info("Reusing the existing \"AssemblyAI CLI\" API key.");
    return *choice.reusable_key;
  }
  if (choice.project_id.is_null()) {
    throw aai::Error(AAI_EXIT_FAILURE, "api_error",
                     "The account " + exchange.account_id + " has no project to create a key in.",
                     "Create a project at " + host.require_environment_field("signup_url") +
                         ", then run `aai login` again.");
  }
  host.info("Creating an API key named \"AssemblyAI CLI\".");
  return ams.create_cli_key(exchange.account_id, exchange.session.jwt, choice.project_id);
}

}  // namespace

AccountLogin complete_account_login(const aai::Host& host, const std::string& one_time_token,
                                    const std::string& profile) {
  AmsClient ams(host, host.require_environment_field("ams_base"));
  const Discovery discovery = ams.discover(one_time_token);
  const Organization& organization = pick_organization(host, discovery);
  const Exchange exchange = ams.exchange(discovery.intermediate_session_token, organization.id);
  const std::string api_key = find_or_create_key(host, ams, exchange);

  AccountLogin login;
  login.record.profile = profile;
  login.record.environment = host.environment();
  login.record.api_key = api_key;
  login.record.session = exchange.session;
  login.record.account_id = exchange.account_id;
  login.record.email = discovery.email;
  login.organization_name = organization.name;
  return login;
}

}  // namespace auth_stytch
