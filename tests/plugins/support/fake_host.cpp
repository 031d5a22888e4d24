#include "fake_host.hpp"

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace aai::testing {
namespace {

FakeHost& fake(const aai_host_t* host) {
  return *static_cast<FakeHost*>(host->host_data);
}

// aai.output/1
aai_status_t output_write(const aai_host_t* host, const char* data, size_t size) {
  if (fake(host).stdout_closed) {
    return AAI_STATUS_ERROR;
  }
  fake(host).stdout_text.append(data, size);
  return AAI_STATUS_OK;
}
void output_message(const aai_host_t* host, aai_message_kind_t kind, const char* text) {
  fake(host).messages.emplace_back(kind, text);
}
bool output_is_json(const aai_host_t* host) {
  return fake(host).json;
}
bool output_is_quiet(const aai_host_t* host) {
  return fake(host).quiet;
}
bool output_is_terminal(const aai_host_t* host, int32_t fd) {
  return fake(host).terminal_fds.count(fd) > 0;
}
bool output_is_interrupted(const aai_host_t* host) {
  FakeHost& self = fake(host);
  const std::lock_guard lock(self.mutex);
  ++self.interrupt_checks;
  return self.interrupt_on_check > 0 && self.interrupt_checks >= self.interrupt_on_check;
}

// aai.log/1
void log_write(const aai_host_t* host, aai_log_severity_t severity, const char* message) {
  const std::lock_guard lock(fake(host).log_mutex);
  fake(host).log_lines.emplace_back(severity, message);
}
int32_t log_verbosity(const aai_host_t* host) {
  return fake(host).verbosity;
}
void log_add_secret(const aai_host_t* host, const char* secret) {
  fake(host).secrets.emplace_back(secret);
}

// aai.progress/1
void progress_update(const aai_host_t* host, const char* label, uint64_t, uint64_t total) {
  const std::lock_guard lock(fake(host).mutex);
  fake(host).progress_labels.emplace_back(label);
  fake(host).progress_totals.push_back(total);
}
void progress_clear(const aai_host_t*) {}

// aai.config/1
const char* config_get(const aai_host_t* host, const char* section, const char* key) {
  FakeHost& self = fake(host);
  auto found = self.config.find({section, key});
  if (found == self.config.end()) {
    return nullptr;
  }
  self.config_value_cache = found->second;
  return self.config_value_cache.c_str();
}
aai_status_t config_set(const aai_host_t* host, const char* section, const char* key,
                        const char* value) {
  FakeHost& self = fake(host);
  if (self.failing_config_key == std::pair<std::string, std::string>(section, key)) {
    return AAI_STATUS_ERROR;
  }
  if (value == nullptr) {
    self.config.erase({section, key});
  } else {
    self.config[{section, key}] = value;
  }
  return AAI_STATUS_OK;
}
const char* config_profile(const aai_host_t*) {
  return "default";
}
const char* config_path(const aai_host_t*) {
  return "/fake/config.ini";
}

// aai.environment/1
const FakeEnvironment* find_environment(const FakeHost& self, const std::string& name) {
  for (const auto& environment : self.environments) {
    if (environment.name == name) {
      return &environment;
    }
  }
  return nullptr;
}
const char* environment_active(const aai_host_t* host) {
  FakeHost& self = fake(host);
  return self.environments.empty() ? nullptr : self.active_environment.c_str();
}
const char* environment_get(const aai_host_t* host, const char* name, const char* field) {
  FakeHost& self = fake(host);
  const FakeEnvironment* environment =
      find_environment(self, name != nullptr ? name : self.active_environment);
  if (environment == nullptr) {
    return nullptr;
  }
  for (const auto& [key, value] : environment->fields) {
    if (key == field) {
      return value.c_str();
    }
  }
  return nullptr;
}
const char* environment_list_json(const aai_host_t* host) {
  FakeHost& self = fake(host);
  nlohmann::json list = nlohmann::json::array();
  for (const auto& environment : self.environments) {
    nlohmann::json fields = nlohmann::json::object();
    for (const auto& [key, value] : environment.fields) {
      fields[key] = value;
    }
    list.push_back({{"name", environment.name},
                    {"summary", environment.summary},
                    {"plugin", environment.plugin},
                    {"fields", fields}});
  }
  self.environments_json_cache = list.dump();
  return self.environments_json_cache.c_str();
}
const char* environment_active_source(const aai_host_t* host) {
  return fake(host).active_source.c_str();
}
aai_status_t environment_select(const aai_host_t* host, const char* name) {
  FakeHost& self = fake(host);
  if (find_environment(self, name) == nullptr) {
    return AAI_STATUS_ERROR;
  }
  self.active_environment = name;
  self.active_source = "command";
  self.selected_environments.emplace_back(name);
  return AAI_STATUS_OK;
}

// aai.secrets/1
aai_status_t secrets_fail(FakeHost& self, const std::string& message) {
  self.secret_error_message = message;
  self.secret_error_suggestion = "Check the fake secret store.";
  return AAI_STATUS_ERROR;
}
aai_status_t secrets_lookup(const aai_host_t* host, const char* service, const char* account,
                            char** value) {
  FakeHost& self = fake(host);
  *value = nullptr;
  if (self.secret_lookup_error) {
    return secrets_fail(self, *self.secret_lookup_error);
  }
  auto found = self.stored_secrets.find({service, account});
  if (found != self.stored_secrets.end()) {
    *value = strdup(found->second.c_str());
  }
  return AAI_STATUS_OK;
}
aai_status_t secrets_store(const aai_host_t* host, const char* service, const char* account,
                           const char* label, const char* value) {
  FakeHost& self = fake(host);
  ++self.secret_store_calls;
  if (self.secret_store_calls == self.fail_secret_store_on_call) {
    return secrets_fail(self, "The fake secret store rejected the write.");
  }
  self.stored_secrets[{service, account}] = value;
  self.stored_secret_labels[{service, account}] = label;
  return AAI_STATUS_OK;
}
aai_status_t secrets_remove(const aai_host_t* host, const char* service, const char* account,
                            bool* removed) {
  FakeHost& self = fake(host);
  if (self.secret_remove_error) {
    return secrets_fail(self, *self.secret_remove_error);
  }
  const bool was_stored = self.stored_secrets.erase({service, account}) > 0;
  self.stored_secret_labels.erase({service, account});
  if (removed != nullptr) {
    *removed = was_stored;
  }
  return AAI_STATUS_OK;
}
void secrets_release(const aai_host_t*, char* value) {
  free(value);
}
const char* secrets_describe(const aai_host_t* host) {
  return fake(host).secret_store_description.c_str();
}
void secrets_last_error(const aai_host_t* host, const char** message, const char** suggestion) {
  FakeHost& self = fake(host);
  *message = self.secret_error_message.c_str();
  *suggestion = self.secret_error_suggestion.c_str();
}

// aai.http/1
struct FakeResponse {
  aai_http_response_t response{};
  std::string body;
  std::map<std::string, std::string> headers;
};

std::string read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

RecordedRequest record(const aai_http_request_t* request) {
  RecordedRequest recorded;
  recorded.method = request->method;
  recorded.url = request->url;
  for (uint32_t i = 0; i < request->header_count; ++i) {
    recorded.headers.emplace_back(request->headers[i].name, request->headers[i].value);
  }
  if (request->body != nullptr) {
    recorded.body.assign(request->body, request->body_size);
  }
  if (request->body_file != nullptr) {
    recorded.body_file = request->body_file;
    recorded.body_file_content = read_whole_file(recorded.body_file);
  }
  recorded.timeout_ms = request->timeout_ms;
  if (request->struct_size > offsetof(aai_http_request_t, max_retries)) {
    recorded.flags = request->flags;
    recorded.max_retries = request->max_retries;
  }
  return recorded;
}

// Maps ws:// to http:// and wss:// to https://, because the host matches a WebSocket field
// such as streaming_base against HTTP requests to the same server.
std::string http_form(const std::string& url) {
  if (url.starts_with("ws://") || url.starts_with("wss://")) {
    return "http" + url.substr(2);
  }
  return url;
}

std::string origin_of(const std::string& given_url) {
  const std::string url = http_form(given_url);
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) {
    return url;
  }
  return url.substr(0, url.find('/', scheme_end + 3));
}

bool is_path_prefix(const std::string& given_prefix, const std::string& given_url) {
  const std::string prefix = http_form(given_prefix);
  const std::string url = http_form(given_url);
  if (url.rfind(prefix, 0) != 0) {
    return false;
  }
  return url.size() == prefix.size() || url[prefix.size()] == '/' || url[prefix.size()] == '?';
}

// The last failed send on each thread, as aai.http/1 (ABI 1.5) defines last_error.
struct HttpFailure {
  int32_t exit_code = 0;
  std::string type;
  std::string message;
  std::string suggestion;
};
thread_local HttpFailure tls_http_failure;

// Copies the host's last error into this thread's failure and the public fields, then returns
// AAI_STATUS_ERROR.
aai_status_t fail_send(FakeHost& self, int32_t exit_code, std::string type, std::string message,
                       std::string suggestion) {
  tls_http_failure = {exit_code, type, message, suggestion};
  self.last_error_exit_code = exit_code;
  self.last_error_type = std::move(type);
  self.last_error_message = std::move(message);
  self.last_error_suggestion = std::move(suggestion);
  return AAI_STATUS_ERROR;
}

aai_status_t http_send(const aai_host_t* host, const aai_http_request_t* request,
                       aai_http_response_t** response) {
  FakeHost& self = fake(host);
  *response = nullptr;
  RecordedRequest recorded = record(request);
  std::unique_lock lock(self.mutex);
  self.requests.push_back(recorded);
  bool carries_credential = false;
  if (self.provider != nullptr &&
      !self.run_provider(request->method, request->url, self.requests.back().headers,
                         carries_credential)) {
    return fail_send(self, self.last_error_exit_code, self.last_error_type, self.last_error_message,
                     self.last_error_suggestion);
  }
  ScriptedResponse scripted;
  if (self.http_handler) {
    const auto handler = self.http_handler;
    lock.unlock();
    scripted = handler(recorded);
    lock.lock();
  } else if (self.responses.empty()) {
    return fail_send(self, AAI_EXIT_FAILURE, "api_error",
                     std::string("The fake host has no response scripted for ") + request->method +
                         " " + request->url + ".",
                     "");
  } else {
    scripted = std::move(self.responses.front());
    self.responses.pop_front();
  }
  if (scripted.transport_error_message) {
    return fail_send(self, scripted.transport_error_exit_code, scripted.transport_error_type,
                     *scripted.transport_error_message, "");
  }
  if (scripted.status == 401 && carries_credential) {
    return fail_send(self, AAI_EXIT_NOT_AUTHENTICATED, "not_authenticated",
                     "Your API key was rejected.",
                     "Check the key, or run `aai login` to get a new one.");
  }
  lock.unlock();

  const uint64_t upload_size = recorded.body_file_content.size();
  if (request->on_progress != nullptr) {
    request->on_progress(request->on_progress_context, upload_size, upload_size);
  }
  auto* owned = new FakeResponse;
  owned->body = std::move(scripted.body);
  owned->headers = std::move(scripted.headers);
  owned->response.struct_size = sizeof owned->response;
  owned->response.status = scripted.status;
  owned->response.host_data = owned;
  if (request->on_body != nullptr) {
    request->on_body(request->on_body_context, owned->body.data(), owned->body.size());
    owned->body.clear();
  }
  owned->response.body = owned->body.c_str();
  owned->response.body_size = owned->body.size();
  *response = &owned->response;
  return AAI_STATUS_OK;
}
const char* http_header(const aai_http_response_t* response, const char* name) {
  auto* owned = static_cast<FakeResponse*>(response->host_data);
  auto found = owned->headers.find(name);
  return found == owned->headers.end() ? nullptr : found->second.c_str();
}
void http_release(const aai_host_t*, aai_http_response_t* response) {
  if (response != nullptr) {
    delete static_cast<FakeResponse*>(response->host_data);
  }
}
void http_last_error(const aai_host_t*, int32_t* exit_code, const char** type, const char** message,
                     const char** suggestion) {
  const HttpFailure& failure = tls_http_failure;
  *exit_code = failure.exit_code;
  *type = failure.type.c_str();
  *message = failure.message.c_str();
  *suggestion = failure.suggestion.empty() ? nullptr : failure.suggestion.c_str();
}

const aai_output_service_t kOutput = {sizeof(aai_output_service_t),
                                      output_write,
                                      output_message,
                                      output_is_json,
                                      output_is_quiet,
                                      output_is_terminal,
                                      output_is_interrupted};
const aai_log_service_t kLog = {sizeof(aai_log_service_t), log_write, log_verbosity,
                                log_add_secret};
const aai_progress_service_t kProgress = {sizeof(aai_progress_service_t), progress_update,
                                          progress_clear};
const aai_config_service_t kConfig = {sizeof(aai_config_service_t), config_get, config_set,
                                      config_profile, config_path};
const aai_environment_service_t kEnvironment = {
    sizeof(aai_environment_service_t), environment_active, environment_get, environment_list_json,
    environment_active_source,         environment_select};
const aai_secrets_service_t kSecrets = {sizeof(aai_secrets_service_t),
                                        secrets_lookup,
                                        secrets_store,
                                        secrets_remove,
                                        secrets_release,
                                        secrets_describe,
                                        secrets_last_error};
const aai_http_service_t kHttp = {sizeof(aai_http_service_t), http_send, http_header, http_release,
                                  http_last_error};

const void* get_service(const aai_host_t*, const char* id) {
  const std::map<std::string, const void*> services = {
      {AAI_SERVICE_OUTPUT, &kOutput},           {AAI_SERVICE_LOG, &kLog},
      {AAI_SERVICE_PROGRESS, &kProgress},       {AAI_SERVICE_CONFIG, &kConfig},
      {AAI_SERVICE_ENVIRONMENT, &kEnvironment}, {AAI_SERVICE_HTTP, &kHttp},
      {AAI_SERVICE_SECRETS, &kSecrets},         {AAI_SERVICE_WEBSOCKET, fake_websocket_service()}};
  auto found = services.find(id);
  return found == services.end() ? nullptr : found->second;
}

}  // namespace

FakeHost::FakeHost() {
  host_.struct_size = sizeof host_;
  host_.abi_version = {AAI_ABI_VERSION_MAJOR, AAI_ABI_VERSION_MINOR, AAI_ABI_VERSION_PATCH};
  host_.host_data = this;
  host_.get_service = &get_service;
}

void FakeHost::respond(int status, std::string body) {
  ScriptedResponse response;
  response.status = status;
  response.body = std::move(body);
  responses.push_back(std::move(response));
}

void FakeHost::add_environment(const std::string& name, const std::string& api_base) {
  environments.push_back({name, name + " endpoints", "test", {{"api_base", api_base}}});
}

void FakeHost::add_environment(const std::string& name,
                               std::vector<std::pair<std::string, std::string>> fields) {
  environments.push_back({name, name + " endpoints", "test", std::move(fields)});
}

bool FakeHost::run_provider(const std::string& method, const std::string& url,
                            std::vector<std::pair<std::string, std::string>>& headers,
                            bool& carries_credential) {
  const FakeEnvironment* environment = find_environment(*this, active_environment);
  const std::vector<std::pair<std::string, std::string>> no_fields;
  bool is_environment_host = false;
  std::optional<std::string> field;
  size_t longest = 0;
  for (const auto& [name, value] : environment != nullptr ? environment->fields : no_fields) {
    if (!name.ends_with("_base")) {
      continue;
    }
    is_environment_host = is_environment_host || origin_of(value) == origin_of(url);
    if (is_path_prefix(value, url) && value.size() > longest) {
      longest = value.size();
      field = name;
    }
  }

  FakeRequestEditor editor(method, url, is_environment_host);
  editor.set_environment_field(field);
  aai_status_t status = provider(provider_context, raw(), editor.raw());
  for (const auto& [name, value] : editor.headers) {
    headers.emplace_back(name, value);
  }
  carries_credential = !editor.credential_header_names.empty();
  if (status == AAI_STATUS_OK && !editor.failure) {
    return true;
  }
  last_error_exit_code = editor.failure ? editor.failure->exit_code : AAI_EXIT_FAILURE;
  last_error_type = editor.failure ? editor.failure->type : "internal_error";
  last_error_message =
      editor.failure ? editor.failure->message : "The provider stopped the request.";
  last_error_suggestion = editor.failure ? editor.failure->suggestion : "";
  return false;
}

std::string FakeHost::joined_log() const {
  std::string joined;
  for (const auto& [severity, line] : log_lines) {
    joined += line + "\n";
  }
  return joined;
}

// Registrar callbacks.
namespace {

FakeRegistrar& registrar_of(const aai_registrar_t* registrar) {
  return *static_cast<FakeRegistrar*>(registrar->host_data);
}

std::string copy_or_empty(const char* text) {
  return text != nullptr ? text : "";
}

aai_status_t add_command(const aai_registrar_t* registrar, const aai_command_spec_t* spec) {
  RecordedCommand command;
  command.name = spec->name;
  command.summary = copy_or_empty(spec->summary);
  for (uint32_t i = 0; i < spec->option_count; ++i) {
    const aai_option_spec_t& option = spec->options[i];
    command.option_names.emplace_back(option.name);
    if (option.default_value != nullptr) {
      command.option_defaults[option.name] = option.default_value;
    }
    if (option.choices != nullptr) {
      command.option_choices[option.name] = option.choices;
    }
  }
  for (uint32_t i = 0; i < spec->argument_count; ++i) {
    command.argument_names.emplace_back(spec->arguments[i].name);
  }
  command.context = spec->context;
  command.run = spec->run;
  registrar_of(registrar).commands.push_back(std::move(command));
  return AAI_STATUS_OK;
}

aai_status_t add_environment(const aai_registrar_t* registrar, const char* name,
                             const char* summary, const aai_field_t* fields, uint32_t field_count) {
  FakeRegistrar& self = registrar_of(registrar);
  FakeEnvironment environment{name, copy_or_empty(summary), self.plugin_name, {}};
  for (uint32_t i = 0; i < field_count; ++i) {
    environment.fields.emplace_back(fields[i].name, fields[i].value);
  }
  self.environments.push_back(std::move(environment));
  return AAI_STATUS_OK;
}

aai_status_t add_pre_request_hook(const aai_registrar_t*, void*, aai_pre_request_fn) {
  return AAI_STATUS_OK;
}

aai_status_t add_provider(const aai_registrar_t* registrar, const aai_provider_spec_t* spec) {
  registrar_of(registrar).providers.push_back(
      {spec->role, spec->name, copy_or_empty(spec->summary), spec->context, spec->pre_request});
  return AAI_STATUS_OK;
}

}  // namespace

FakeRegistrar::FakeRegistrar() {
  registrar_.struct_size = sizeof registrar_;
  registrar_.host_data = this;
  registrar_.add_command = &add_command;
  registrar_.add_environment = &::aai::testing::add_environment;
  registrar_.add_pre_request_hook = &add_pre_request_hook;
  registrar_.add_provider = &add_provider;
}

aai_status_t FakeRegistrar::register_plugin(const aai_plugin_descriptor_t* descriptor,
                                            const FakeHost& host) {
  plugin_name = descriptor->name;
  return descriptor->register_plugin(host.raw(), &registrar_);
}

const RecordedCommand& FakeRegistrar::command(const std::string& name) const {
  for (const auto& command : commands) {
    if (command.name == name) {
      return command;
    }
  }
  throw std::out_of_range("no command named " + name);
}

// Invocation callbacks.
namespace {

struct InvocationState {
  FakeInvocation* invocation;
  const RecordedCommand* command;
};

InvocationState& state_of(const aai_invocation_t* invocation) {
  return *static_cast<InvocationState*>(invocation->host_data);
}

const std::vector<std::string>* values_of(const aai_invocation_t* invocation, const char* name) {
  InvocationState& state = state_of(invocation);
  auto given = state.invocation->options.find(name);
  if (given != state.invocation->options.end()) {
    return &given->second;
  }
  return nullptr;
}

uint32_t option_count(const aai_invocation_t* invocation, const char* name) {
  if (const auto* values = values_of(invocation, name)) {
    return static_cast<uint32_t>(values->size());
  }
  return state_of(invocation).command->option_defaults.count(name) > 0 ? 1 : 0;
}

const char* option_value(const aai_invocation_t* invocation, const char* name, uint32_t index) {
  if (const auto* values = values_of(invocation, name)) {
    return index < values->size() ? (*values)[index].c_str() : nullptr;
  }
  const auto& defaults = state_of(invocation).command->option_defaults;
  auto found = defaults.find(name);
  return found != defaults.end() && index == 0 ? found->second.c_str() : nullptr;
}

uint32_t argument_count(const aai_invocation_t* invocation) {
  return static_cast<uint32_t>(state_of(invocation).invocation->arguments.size());
}

const char* argument_value(const aai_invocation_t* invocation, uint32_t index) {
  const auto& arguments = state_of(invocation).invocation->arguments;
  return index < arguments.size() ? arguments[index].c_str() : nullptr;
}

void invocation_fail(const aai_invocation_t* invocation, int32_t exit_code, const char* type,
                     const char* message, const char* suggestion, const char* details_json) {
  state_of(invocation).invocation->failure = RecordedFailure{
      exit_code, type, message, copy_or_empty(suggestion), copy_or_empty(details_json)};
}

}  // namespace

FakeInvocation::FakeInvocation(std::map<std::string, std::vector<std::string>> given_options,
                               std::vector<std::string> given_arguments)
    : options(std::move(given_options)), arguments(std::move(given_arguments)) {
  invocation_.struct_size = sizeof invocation_;
  invocation_.option_count = &option_count;
  invocation_.option_value = &option_value;
  invocation_.argument_count = &argument_count;
  invocation_.argument_value = &argument_value;
  invocation_.fail = &invocation_fail;
}

int FakeInvocation::run(const RecordedCommand& command, const FakeHost& host) {
  for (const auto& [name, values] : options) {
    bool known = false;
    for (const auto& option_name : command.option_names) {
      known = known || option_name == name;
    }
    if (!known) {
      throw std::invalid_argument("command " + command.name + " has no option " + name);
    }
  }
  InvocationState state{this, &command};
  invocation_.host_data = &state;
  int exit_code = command.run(command.context, host.raw(), &invocation_);
  invocation_.host_data = nullptr;
  return exit_code;
}

// Request editor callbacks.
namespace {

FakeRequestEditor& editor_of(const aai_request_editor_t* editor) {
  return *static_cast<FakeRequestEditor*>(editor->host_data);
}

void editor_set_header(const aai_request_editor_t* editor, const char* name, const char* value) {
  editor_of(editor).headers[name] = value;
}

aai_status_t editor_set_credential_header(const aai_request_editor_t* editor, const char* name,
                                          const char* value) {
  if (!editor->is_environment_host) {
    return AAI_STATUS_ERROR;
  }
  editor_of(editor).headers[name] = value;
  editor_of(editor).credential_header_names.emplace_back(name);
  return AAI_STATUS_OK;
}

void editor_fail(const aai_request_editor_t* editor, int32_t exit_code, const char* type,
                 const char* message, const char* suggestion) {
  editor_of(editor).failure =
      RecordedFailure{exit_code, type, message, copy_or_empty(suggestion), ""};
}

}  // namespace

FakeRequestEditor::FakeRequestEditor(std::string method, std::string url, bool is_environment_host)
    : method_(std::move(method)), url_(std::move(url)) {
  editor_.struct_size = sizeof editor_;
  editor_.host_data = this;
  editor_.method = method_.c_str();
  editor_.url = url_.c_str();
  editor_.is_environment_host = is_environment_host;
  editor_.set_header = &editor_set_header;
  editor_.set_credential_header = &editor_set_credential_header;
  editor_.fail = &editor_fail;
}

void FakeRequestEditor::set_environment_field(std::optional<std::string> field) {
  environment_field_ = std::move(field);
  editor_.environment_field = environment_field_ ? environment_field_->c_str() : nullptr;
}

}  // namespace aai::testing
