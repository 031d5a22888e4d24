// The aai plugin C ABI, version 1: the descriptor, registration, and the services the host offers.
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// ABI version this header describes. A host loads a plugin whose major version equals its own
/// and whose minor version is not newer than its own.
#define AAI_ABI_VERSION_MAJOR 1
#define AAI_ABI_VERSION_MINOR 5
#define AAI_ABI_VERSION_PATCH 0

/// Name of the one symbol every plugin exports (see aai_plugin_entry below).
#define AAI_PLUGIN_ENTRY_SYMBOL "aai_plugin_entry"

#if defined(__GNUC__)
#define AAI_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define AAI_PLUGIN_EXPORT
#endif

/// Threading tags used below:
/// [main-thread]: the host calls it, or it may be called, only on the thread that runs commands.
/// [any-thread]: safe to call from any thread, including threads the plugin starts itself.

typedef struct aai_abi_version {
  uint32_t major;
  uint32_t minor;
  uint32_t patch;
} aai_abi_version_t;

/// Result of a call across the ABI. Zero is success; every other value is a failure whose
/// details were reported separately (see aai_invocation_t::fail and aai_request_editor_t::fail).
typedef int32_t aai_status_t;
enum {
  AAI_STATUS_OK = 0,
  AAI_STATUS_ERROR = 1,
  /// The service or field asked for does not exist in this host.
  AAI_STATUS_UNSUPPORTED = 3,
};

/// Process exit codes the host uses. A command's run callback returns one of these.
enum {
  AAI_EXIT_OK = 0,
  AAI_EXIT_FAILURE = 1,
  AAI_EXIT_USAGE = 2,
  AAI_EXIT_NOT_AUTHENTICATED = 4,
  AAI_EXIT_INTERRUPTED = 130,
};

/// A name and value pair. Both strings are NUL-terminated UTF-8.
typedef struct aai_field {
  const char* name;
  const char* value;
} aai_field_t;

typedef struct aai_host aai_host_t;

/// The host's interface to one plugin. Each plugin gets its own aai_host_t, so the host knows which
/// plugin is calling (log lines carry its name). Valid from register_plugin until the process
/// exits; the plugin may keep the pointer.
struct aai_host {
  uint32_t struct_size;

  /// ABI version of the host.
  aai_abi_version_t abi_version;

  /// Reserved for the host; plugins never touch it.
  void* host_data;

  /// Looks up a service by versioned id, such as AAI_SERVICE_HTTP ("aai.http/1").
  /// Returns a pointer to a const service table owned by the host and valid until the process
  /// exits, or NULL when this host does not offer that id. [any-thread] (every host has returned
  /// it from a constant table, and 1.5 documents this)
  /// Rationale: new services get new ids, so adding one never changes an existing struct.
  const void* (*get_service)(const aai_host_t* host, const char* service_id);
};

/* ---------------------------------------------------------------------------------------------
 * Commands
 * ------------------------------------------------------------------------------------------- */

/// How the host parses an option's value.
typedef int32_t aai_option_type_t;
enum {
  /// A switch without a value: `--speaker-labels`. Its value reads as "true" when given.
  AAI_OPTION_FLAG = 0,
  /// Any text: `--webhook-url URL`.
  AAI_OPTION_STRING = 1,
  /// A signed 64-bit integer, checked by the host.
  AAI_OPTION_INTEGER = 2,
  /// A decimal number, checked by the host.
  AAI_OPTION_NUMBER = 3,
  /// A switch with a negated form: `--punctuate` and `--no-punctuate`. Its value reads as "true"
  /// or "false" when given, and is absent otherwise.
  AAI_OPTION_BOOLEAN = 4,
};

/// One option of a command. The host turns these into the parser and into `aai CMD --help`, so
/// every plugin's options parse and print the same way.
typedef struct aai_option_spec {
  uint32_t struct_size;

  /// Long name without the leading dashes: "speaker-labels". Required.
  const char* name;

  /// Single-character short name such as 'o', or 0 for none.
  char short_name;

  aai_option_type_t type;

  /// Value used when the option is absent, or NULL for none (the option then reads as absent).
  const char* default_value;

  /// Placeholder shown in help: "FILE", "N". NULL lets the host pick one from the type.
  const char* value_name;

  /// Allowed values separated by '|' ("text|json"), or NULL for any. The host rejects others
  /// with a usage error that lists these.
  const char* choices;

  /// Whether the option may be given more than once; every value is kept, in order.
  bool repeatable;

  /// One line saying what the option sets and in what unit.
  const char* help;
} aai_option_spec_t;

/// One positional argument of a command.
typedef struct aai_argument_spec {
  uint32_t struct_size;

  /// Name shown in usage, upper case by convention: "SOURCE".
  const char* name;

  const char* help;

  /// Whether the command fails with a usage error when the argument is missing.
  bool required;

  /// Whether the argument takes every remaining value. Only the last argument may be variadic.
  bool variadic;
} aai_argument_spec_t;

typedef struct aai_invocation aai_invocation_t;

/// Parsed arguments of one command run, owned by the host and valid until the run callback
/// returns. All strings returned from it share that lifetime.
struct aai_invocation {
  uint32_t struct_size;

  /// Reserved for the host.
  void* host_data;

  /// Returns how many values option `name` has: 0 when absent and without a default, and more
  /// than 1 only for repeatable options. [main-thread]
  uint32_t (*option_count)(const aai_invocation_t* invocation, const char* name);

  /// Returns value `index` of option `name`, or NULL when there is no such value. Flags read as
  /// "true"; booleans as "true" or "false"; numbers in the text the user typed. [main-thread]
  const char* (*option_value)(const aai_invocation_t* invocation, const char* name, uint32_t index);

  /// Returns how many positional values were given. [main-thread]
  uint32_t (*argument_count)(const aai_invocation_t* invocation);

  /// Returns positional value `index`, or NULL past the end. [main-thread]
  const char* (*argument_value)(const aai_invocation_t* invocation, uint32_t index);

  /// Records why the command failed. The host prints it as `Error: MESSAGE` and
  /// `Suggestion: SUGGESTION` on stderr, or as one JSON object in JSON mode, and exits with
  /// `exit_code`. `type` is a stable snake_case id that scripts test ("file_not_found");
  /// `suggestion` and `details_json` may be NULL. `details_json` is a JSON object whose members
  /// are added to the error object ({"transcript_id":"..."}). All strings are copied.
  /// The run callback then returns the same exit code. [main-thread]
  void (*fail)(const aai_invocation_t* invocation, int32_t exit_code, const char* type,
               const char* message, const char* suggestion, const char* details_json);
};

/// Runs a command. Returns the process exit code; when it is not AAI_EXIT_OK, the callback has
/// called invocation->fail first (a plugin that returns failure without it gets a generic error
/// naming the plugin). `context` is aai_command_spec_t::context. [main-thread]
typedef int32_t (*aai_command_run_fn)(void* context, const aai_host_t* host,
                                      const aai_invocation_t* invocation);

/// A command a plugin adds. The host copies every string and array during add_command.
typedef struct aai_command_spec {
  uint32_t struct_size;

  /// Full name, words separated by one space: "transcribe", "transcripts list".
  const char* name;

  /// One line for `aai --help`.
  const char* summary;

  /// Longer text for `aai CMD --help`, or NULL.
  const char* description;

  const aai_option_spec_t* options;
  uint32_t option_count;

  const aai_argument_spec_t* arguments;
  uint32_t argument_count;

  /// Passed back to run unchanged; owned by the plugin.
  void* context;

  aai_command_run_fn run;
} aai_command_spec_t;

/* ---------------------------------------------------------------------------------------------
 * Hooks and providers
 * ------------------------------------------------------------------------------------------- */

typedef struct aai_request_editor aai_request_editor_t;

/// The outgoing request, as passed to a pre-request hook. Owned by the host; valid only during the
/// hook call.
struct aai_request_editor {
  uint32_t struct_size;

  /// Reserved for the host.
  void* host_data;

  /// "GET", "POST", ... or "WEBSOCKET" for a WebSocket handshake.
  const char* method;

  /// Absolute URL of the request.
  const char* url;

  /// Whether the URL's scheme, host and port belong to the active environment. Only such
  /// requests may carry credentials.
  bool is_environment_host;

  /// Sets (replaces) a request header. Both strings are copied.
  void (*set_header)(const aai_request_editor_t* editor, const char* name, const char* value);

  /// Sets a header that carries a secret. The host registers the value for masking in logs and
  /// refuses to set it when is_environment_host is false, returning AAI_STATUS_ERROR.
  aai_status_t (*set_credential_header)(const aai_request_editor_t* editor, const char* name,
                                        const char* value);

  /// Stops the request; the command then fails with this error (see aai_invocation_t::fail).
  void (*fail)(const aai_request_editor_t* editor, int32_t exit_code, const char* type,
               const char* message, const char* suggestion);

  /// Added in 1.1; read it only when struct_size covers it.
  /// Name of the active environment's field whose URL is the longest prefix of this request's URL
  /// ("api_base", "llm_gateway_base", "ams_base", ...), or NULL when no field's URL is. A prefix
  /// ends at a path boundary, and ws/wss URLs also match http/https requests on the same host.
  /// Providers use it to pick the credential format, and to send none to the account service.
  const char* environment_field;
};

/// Called before every HTTP request and WebSocket handshake, in registration order. Returns
/// AAI_STATUS_OK, or a failure after calling editor->fail. Runs on the thread that sends the
/// request, which since 1.5 may be a plugin's worker thread. The host never runs two hooks at
/// once, so a hook needs no locking of its own. The editor's functions are called from the hook.
typedef aai_status_t (*aai_pre_request_fn)(void* context, const aai_host_t* host,
                                           const aai_request_editor_t* editor);

/// Role of the provider that attaches credentials to requests. Its pre_request is called after the
/// plain pre-request hooks.
#define AAI_PROVIDER_CREDENTIALS "aai.credentials"

/// A provider fills a role of which the host uses exactly one at a time. When several plugins
/// provide the same role, the config key `providers.ROLE` in config.ini selects one by name;
/// without it the host stops with an error naming the candidates.
typedef struct aai_provider_spec {
  uint32_t struct_size;

  /// Role id, such as AAI_PROVIDER_CREDENTIALS.
  const char* role;

  /// Provider name, unique within the role: "stytch".
  const char* name;

  /// One line for `aai plugins list`.
  const char* summary;

  /// Passed back to the callbacks unchanged; owned by the plugin.
  void* context;

  /// Called before every request while this provider is selected, or NULL.
  aai_pre_request_fn pre_request;
} aai_provider_spec_t;

/* ---------------------------------------------------------------------------------------------
 * Registration and the entry point
 * ------------------------------------------------------------------------------------------- */

/// An environment with the source it came from, for aai_registrar_t::add_environment_spec (added
/// in 1.4). The host copies every string and array during the call.
typedef struct aai_environment_spec {
  uint32_t struct_size;

  /// Lower-case letters, digits and '-', not starting with '-': "acme".
  const char* name;

  /// One line for `aai env list`, or NULL.
  const char* summary;

  /// The endpoints, as for add_environment: at least "api_base"; every field whose name ends in
  /// "_base" must be an absolute http, https, ws or wss URL.
  const aai_field_t* fields;
  uint32_t field_count;

  /// The source that defined the environment, shown by `aai env show` and in list_json's
  /// "origin": "built-in", "compiled in from acme.ini", "/etc/aai/environments.d/acme.ini".
  /// NULL (or "") reads as "plugin NAME".
  const char* origin;

  /// Whether another plugin's environment of the same name takes precedence over this one,
  /// whatever order the plugins load in: a later registration replaces it, and an earlier one
  /// that is not replaceable stays. The host logs each such case at -v, naming both. Two
  /// registrations that are not replaceable are a conflict: the first stays, with a warning.
  bool replaceable;
} aai_environment_spec_t;

typedef struct aai_registrar aai_registrar_t;

/// What a plugin calls from register_plugin to add commands, environments, hooks and providers.
/// Valid only during register_plugin. Each call copies what it is given and returns
/// AAI_STATUS_ERROR for an invalid spec (the host then reports the plugin file and the reason).
struct aai_registrar {
  uint32_t struct_size;

  /// Reserved for the host.
  void* host_data;

  aai_status_t (*add_command)(const aai_registrar_t* registrar, const aai_command_spec_t* spec);

  /// Adds a named environment: a set of service endpoints. `fields` contains at least "api_base";
  /// the documented field names are listed in docs/environments.md, and any other name is kept
  /// for plugins that need it. The environment is not replaceable: it replaces a replaceable one
  /// of the same name (see add_environment_spec), and a second registration that is not
  /// replaceable either is an error that names both plugin files.
  aai_status_t (*add_environment)(const aai_registrar_t* registrar, const char* name,
                                  const char* summary, const aai_field_t* fields,
                                  uint32_t field_count);

  aai_status_t (*add_pre_request_hook)(const aai_registrar_t* registrar, void* context,
                                       aai_pre_request_fn hook);

  aai_status_t (*add_provider)(const aai_registrar_t* registrar, const aai_provider_spec_t* spec);

  /// Adds an environment like add_environment, with its origin and whether another plugin may
  /// replace it (see aai_environment_spec_t). Added in 1.4: an older host has no such member, so
  /// call it only when struct_size >= offsetof(aai_registrar_t, add_environment_spec) +
  /// sizeof registrar->add_environment_spec and the pointer is not NULL.
  aai_status_t (*add_environment_spec)(const aai_registrar_t* registrar,
                                       const aai_environment_spec_t* spec);
};

/// What a plugin is, returned by its entry point. The descriptor and its strings are static data
/// of the plugin, valid while the plugin is loaded.
typedef struct aai_plugin_descriptor {
  uint32_t struct_size;

  /// Set to {AAI_ABI_VERSION_MAJOR, AAI_ABI_VERSION_MINOR, AAI_ABI_VERSION_PATCH}.
  aai_abi_version_t abi_version;

  /// Plugin name, lower case with dashes: "transcribe".
  const char* name;

  /// Plugin version, semantic versioning: "1.0.0".
  const char* version;

  /// One line for `aai --help` and `aai plugins list`.
  const char* summary;

  /// Registers everything the plugin offers. Called once, right after loading, before any
  /// command runs. Returns AAI_STATUS_OK, or a failure that makes the host skip the plugin with
  /// a warning. `host` stays valid for the life of the process. [main-thread]
  aai_status_t (*register_plugin)(const aai_host_t* host, const aai_registrar_t* registrar);
} aai_plugin_descriptor_t;

/// The entry point every plugin exports under AAI_PLUGIN_ENTRY_SYMBOL. It must do no work beyond
/// returning the static descriptor: the host calls it for every plugin on every start.
typedef const aai_plugin_descriptor_t* (*aai_plugin_entry_fn)(void);

/// Declares the entry point; a plugin defines it once:
///
///     static const aai_plugin_descriptor_t kDescriptor = {sizeof kDescriptor, ...};
///     AAI_PLUGIN_EXPORT const aai_plugin_descriptor_t* aai_plugin_entry(void) {
///       return &kDescriptor;
///     }
AAI_PLUGIN_EXPORT const aai_plugin_descriptor_t* aai_plugin_entry(void);

/* ---------------------------------------------------------------------------------------------
 * Services. Each is looked up with aai_host_t::get_service and may be NULL in an older host.
 * ------------------------------------------------------------------------------------------- */

/// Severity of a log line. The host shows WARNING and ERROR always (unless --quiet), INFO with -v
/// and DEBUG with -vv.
typedef int32_t aai_log_severity_t;
enum {
  AAI_LOG_DEBUG = 0,
  AAI_LOG_INFO = 1,
  AAI_LOG_WARNING = 2,
  AAI_LOG_ERROR = 3,
};

#define AAI_SERVICE_LOG "aai.log/1"

/// Logging to stderr. Lines carry the plugin's name; registered secrets are masked.
typedef struct aai_log_service {
  uint32_t struct_size;

  /// Writes one log line. `message` is copied. [any-thread]
  void (*log)(const aai_host_t* host, aai_log_severity_t severity, const char* message);

  /// Returns the -v count: 0, 1 or 2. [any-thread]
  int32_t (*verbosity)(const aai_host_t* host);

  /// Registers a secret (an API key, a token) that every later log line masks. Copied.
  /// [main-thread]
  void (*add_secret)(const aai_host_t* host, const char* secret);
} aai_log_service_t;

#define AAI_SERVICE_OUTPUT "aai.output/1"

/// Kind of a message printed to stderr with aai_output_service_t::message.
typedef int32_t aai_message_kind_t;
enum {
  /// Progress notes and hints: "Saved to out.txt". Hidden by --quiet.
  AAI_MESSAGE_NOTE = 0,
  /// Something the user should know: printed as `Warning: ...`. Hidden by --quiet.
  AAI_MESSAGE_WARNING = 1,
};

/// Results on stdout and messages on stderr.
typedef struct aai_output_service {
  uint32_t struct_size;

  /// Writes result data to stdout. Returns AAI_STATUS_ERROR when stdout is a closed pipe; the
  /// command should then stop, and the host exits 0 as a pipeline expects. [main-thread]
  aai_status_t (*write)(const aai_host_t* host, const char* data, size_t size);

  /// Prints a message line on stderr (as {"warning":"..."} or {"note":"..."} in JSON mode).
  /// [main-thread]
  void (*message)(const aai_host_t* host, aai_message_kind_t kind, const char* text);

  /// Returns whether the user asked for JSON output (-j/--json). [any-thread]
  bool (*is_json)(const aai_host_t* host);

  /// Returns whether the user asked for --quiet. [any-thread]
  bool (*is_quiet)(const aai_host_t* host);

  /// Returns whether file descriptor 0, 1 or 2 is a terminal. [any-thread]
  bool (*is_terminal)(const aai_host_t* host, int32_t fd);

  /// Returns whether the user pressed Ctrl-C (SIGINT) or the process got SIGTERM since the command
  /// started. Long loops poll it and then return AAI_EXIT_INTERRUPTED. [any-thread]
  bool (*is_interrupted)(const aai_host_t* host);
} aai_output_service_t;

#define AAI_SERVICE_PROGRESS "aai.progress/1"

/// One progress line on stderr, drawn only when stderr is a terminal and not --quiet or --json.
/// A message takes the line off the screen, and so does output while stdout is a terminal. The
/// next update draws it again, and its elapsed time runs on.
typedef struct aai_progress_service {
  uint32_t struct_size;

  /// Shows or updates the progress line. `label` is copied. `done` and `total` are byte counts,
  /// shown as a percentage and sizes; `total` 0 means unknown (the line then shows elapsed time
  /// only). The first update after clear starts the elapsed time. [main-thread]
  void (*update)(const aai_host_t* host, const char* label, uint64_t done, uint64_t total);

  /// Removes the progress line and ends it. [main-thread]
  void (*clear)(const aai_host_t* host);
} aai_progress_service_t;

#define AAI_SERVICE_CONFIG "aai.config/1"

/// The user's config file ($XDG_CONFIG_HOME/aai/config.ini). Sections are INI sections such as
/// "core", "profile.NAME" or "plugin.NAME".
typedef struct aai_config_service {
  uint32_t struct_size;

  /// Returns the value of `key` in `section`, or NULL when unset. The string is owned by the host
  /// and valid until the next set call or until the command returns. [main-thread]
  const char* (*get)(const aai_host_t* host, const char* section, const char* key);

  /// Sets `key` in `section` and writes the file atomically with mode 0600; a NULL value removes
  /// the key. Returns AAI_STATUS_ERROR (and logs why) when the file cannot be written.
  /// [main-thread]
  aai_status_t (*set)(const aai_host_t* host, const char* section, const char* key,
                      const char* value);

  /// Returns the active profile's name ("default" unless -p or the config file sets another). Owned
  /// by the host, valid until the process exits. [main-thread]
  const char* (*profile)(const aai_host_t* host);

  /// Returns the config file's path. Owned by the host, valid until the process exits.
  /// [main-thread]
  const char* (*path)(const aai_host_t* host);
} aai_config_service_t;

#define AAI_SERVICE_ENVIRONMENT "aai.environment/1"

/// The registered environments and the active one.
typedef struct aai_environment_service {
  uint32_t struct_size;

  /// Returns the active environment's name, or NULL when none is registered. The host resolves
  /// it on first use: --env, --sandbox, AAI_ENV, the profile's stored env, then the build's
  /// default ("production" unless aai was built with another AAI_DEFAULT_ENV).
  /// An unknown name makes the command fail with a usage error. Owned by the host, valid until
  /// the process exits. [main-thread]
  const char* (*active)(const aai_host_t* host);

  /// Returns field `field` ("api_base", ...) of environment `name`, or of the active one when
  /// `name` is NULL; NULL when unset. Owned by the host, valid until the process exits.
  /// [main-thread]
  const char* (*get)(const aai_host_t* host, const char* name, const char* field);

  /// Returns every environment as a JSON array of
  /// {"name","summary","plugin","origin","fields":{...}} in registration order. "plugin" is the
  /// plugin that registered it; "origin" is where it was defined (see aai_environment_spec_t,
  /// since 1.4). Owned by the host, valid until the process exits. [main-thread]
  const char* (*list_json)(const aai_host_t* host);

  /// Returns where the active environment's name came from: "--env", "--sandbox", "AAI_ENV",
  /// "profile" or "default". Owned by the host, valid until the process exits. [main-thread]
  const char* (*active_source)(const aai_host_t* host);

  /// Added in 1.1; read it only when struct_size covers it.
  /// Makes `name` the active environment for the rest of the run, as if --env had named it; its
  /// source then reads "--env" when --env named it, otherwise "command". `aai login` uses it to
  /// skip the profile's stored environment. Returns AAI_STATUS_ERROR for an unknown name.
  /// [main-thread]
  aai_status_t (*select)(const aai_host_t* host, const char* name);
} aai_environment_service_t;

#define AAI_SERVICE_HTTP "aai.http/1"

/// Called with each piece of a response body when the request streams the body instead of
/// keeping it. Returns AAI_STATUS_OK to go on; any other value cancels the transfer. Runs on the
/// thread that called send.
typedef aai_status_t (*aai_http_body_fn)(void* context, const char* data, size_t size);

/// Called while a request body is sent, with bytes sent so far and the total. Runs on the thread
/// that called send.
typedef void (*aai_http_progress_fn)(void* context, uint64_t sent, uint64_t total);

typedef struct aai_http_request {
  uint32_t struct_size;

  /// "GET", "POST", "PUT", "PATCH" or "DELETE".
  const char* method;

  /// Absolute http or https URL.
  const char* url;

  const aai_field_t* headers;
  uint32_t header_count;

  /// Body held in memory, or NULL. Borrowed for the duration of send.
  const char* body;
  size_t body_size;

  /// Path of a file streamed as the body (never read whole into memory), or NULL. Only one of
  /// body and body_file may be set.
  const char* body_file;

  /// Idle read timeout in milliseconds: the request fails when nothing is sent or received for
  /// this long, so a long upload or a slow stream that keeps moving never times out. 0 uses the
  /// user's network.read_timeout setting (60 s unless changed; see docs/network.md). Since 1.5
  /// the host default is 60 s; hosts before 1.5 used 5 minutes.
  uint32_t timeout_ms;

  /// When set, the response body is passed here piece by piece and not kept in the response.
  aai_http_body_fn on_body;
  void* on_body_context;

  /// When set, reports upload progress of the request body.
  aai_http_progress_fn on_progress;
  void* on_progress_context;

  /// Since 1.3: a combination of the AAI_HTTP_* flags below.
  uint32_t flags;

  /// Since 1.3: how many more times the host may send the request after HTTP 429, 500, 502, 503
  /// or 504, or after a connection that could not be made. Before each retry it waits as the
  /// response's Retry-After says (at most 60 s), or else 1 s, 2 s, 4 s... (at most 30 s) with up to
  /// a quarter added at random; Ctrl-C ends the wait. The body of a response that is retried never
  /// reaches on_body. The host allows at most 10. Only set it for requests that are safe to
  /// repeat; 0 sends a POST or PATCH once. Since 1.5, GET, HEAD, PUT, DELETE and OPTIONS count as
  /// safe to repeat: 0 gives them the user's `retries` setting (4 unless changed), and they are
  /// also sent again after a dropped connection, as with AAI_HTTP_RETRY_DROPPED.
  uint32_t max_retries;
} aai_http_request_t;

/// HTTP 401 is returned like any other status instead of failing with AAI_EXIT_NOT_AUTHENTICATED,
/// for APIs whose 401 carries a message the plugin shows itself (since 1.3).
#define AAI_HTTP_KEEP_UNAUTHORIZED 0x1u

/// on_body receives only the body of a 2xx response; any other body is kept in the response, so
/// an error's JSON never mixes with streamed data (since 1.3).
#define AAI_HTTP_STREAM_SUCCESS_ONLY 0x2u

/// With max_retries, the request is also sent again when the connection dropped after the request
/// was sent (reset, closed early, or silent for the read timeout). Set it only for requests that
/// are safe to repeat; a body_file is sent again from its start (since 1.5). A host older than
/// 1.5 ignores the flag.
#define AAI_HTTP_RETRY_DROPPED 0x4u

/// A response, allocated by the host and released with aai_http_service_t::release.
typedef struct aai_http_response {
  uint32_t struct_size;

  /// HTTP status code.
  int32_t status;

  /// Body, NUL-terminated for convenience (body_size excludes the NUL); empty when streamed.
  const char* body;
  size_t body_size;

  /// Reserved for the host.
  void* host_data;
} aai_http_response_t;

/// HTTP through the host, so that hooks, credentials, timeouts and -vv apply to every plugin.
/// Since 1.5 every call is [any-thread]: a plugin may send from several threads at once (a batch
/// uploading N files). The host runs pre-request hooks and the credential provider for one
/// request at a time and the transfers in parallel. Before 1.5 every call was [main-thread].
typedef struct aai_http_service {
  uint32_t struct_size;

  /// Sends a request and waits for the whole response. On success (any HTTP status) stores a new
  /// response in *response and returns AAI_STATUS_OK. On a transport failure (refused, timed out,
  /// DNS) or a hook that stopped the request, returns AAI_STATUS_ERROR, stores NULL, and the
  /// error is available from last_error until the next send. A request that carried a
  /// credential header and got HTTP 401 also fails, with exit code AAI_EXIT_NOT_AUTHENTICATED and
  /// type "not_authenticated", so every plugin reports a rejected key the same way. [any-thread]
  aai_status_t (*send)(const aai_host_t* host, const aai_http_request_t* request,
                       aai_http_response_t** response);

  /// Returns a response header's value (case-insensitive name) or NULL. Owned by the response.
  const char* (*header)(const aai_http_response_t* response, const char* name);

  /// Frees a response from send. NULL is allowed. [any-thread]
  void (*release)(const aai_host_t* host, aai_http_response_t* response);

  /// Describes the last failed send on the calling thread: fills the exit code, the error type
  /// and the message. Strings are owned by the host and valid until that thread's next send.
  /// [any-thread]
  void (*last_error)(const aai_host_t* host, int32_t* exit_code, const char** type,
                     const char** message, const char** suggestion);
} aai_http_service_t;

#define AAI_SERVICE_WEBSOCKET "aai.websocket/1"

/// WebSocket connections through the host, added in 1.2. The handshake passes through the same
/// pre-request hooks and credential provider as HTTP (method "WEBSOCKET"), so a key reaches only
/// the active environment's hosts; -vv logs the handshake and every frame (text frames with
/// secrets masked, binary frames as byte counts). Every call is [main-thread]: a plugin that
/// reads audio on its own thread hands it to the main thread, which sends and receives.
typedef struct aai_websocket aai_websocket_t;

typedef struct aai_websocket_request {
  uint32_t struct_size;

  /// Absolute ws or wss URL, query included.
  const char* url;

  const aai_field_t* headers;
  uint32_t header_count;

  /// Time allowed for connecting and the handshake, in milliseconds; 0 uses the user's connect
  /// timeout (10 s unless set; hosts before 1.5 used 30 seconds).
  uint32_t connect_timeout_ms;

  /// Skips the credential provider (plain hooks still run): for a URL that carries its own
  /// temporary token, so the long-lived key is never sent.
  bool anonymous;
} aai_websocket_request_t;

/// What receive found.
typedef int32_t aai_websocket_event_kind_t;
enum {
  /// Nothing arrived within the timeout.
  AAI_WEBSOCKET_TIMEOUT = 0,
  AAI_WEBSOCKET_TEXT = 1,
  AAI_WEBSOCKET_BINARY = 2,
  /// The connection is closed: by a close frame from the peer (close_code and close_reason are
  /// its), or dropped without one (close_code 1006, close_reason says what happened). Every later
  /// receive returns this again.
  AAI_WEBSOCKET_CLOSED = 3,
};

typedef struct aai_websocket_event {
  uint32_t struct_size;
  aai_websocket_event_kind_t kind;

  /// Payload of a TEXT or BINARY message, NUL-terminated for convenience (size excludes the NUL).
  /// Owned by the host, valid until the next receive, close or release on this connection.
  const char* data;
  size_t size;

  /// For CLOSED: the close code and reason, as above. The reason has the same lifetime as data.
  int32_t close_code;
  const char* close_reason;
} aai_websocket_event_t;

typedef struct aai_websocket_service {
  uint32_t struct_size;

  /// Runs the hooks, connects and completes the handshake. On success stores the connection in
  /// *socket and returns AAI_STATUS_OK. Otherwise stores NULL, returns AAI_STATUS_ERROR, and
  /// last_error describes the failure: a handshake answered with HTTP 401 when a credential was
  /// attached fails with AAI_EXIT_NOT_AUTHENTICATED and type "not_authenticated", like HTTP; any
  /// other HTTP answer quotes its status and the body's "error" field when it has one.
  /// [main-thread]
  aai_status_t (*connect)(const aai_host_t* host, const aai_websocket_request_t* request,
                          aai_websocket_t** socket);

  /// Sends one message, text (UTF-8) or binary. The data is copied. Returns AAI_STATUS_ERROR
  /// when the connection is closed or broken; last_error then says why. [main-thread]
  aai_status_t (*send)(const aai_host_t* host, aai_websocket_t* socket, bool binary,
                       const char* data, size_t size);

  /// Waits up to timeout_ms (0 only checks) for the next message or for the close, and fills
  /// *event. Messages that arrived before the close are delivered first. Returns AAI_STATUS_OK
  /// for every event kind, including CLOSED. [main-thread]
  aai_status_t (*receive)(const aai_host_t* host, aai_websocket_t* socket, uint32_t timeout_ms,
                          aai_websocket_event_t* event);

  /// Starts the closing handshake with `code` (1000 for a normal close) and `reason` (may be
  /// NULL), then returns without waiting; receive reports CLOSED once the peer answers.
  /// Closing a closed connection does nothing. [main-thread]
  aai_status_t (*close)(const aai_host_t* host, aai_websocket_t* socket, int32_t code,
                        const char* reason);

  /// Frees the connection, closing it first (code 1001) if still open, and waits at most a
  /// moment for the network thread to stop. NULL is allowed. [main-thread]
  void (*release)(const aai_host_t* host, aai_websocket_t* socket);

  /// Describes the last failure of connect or send, like aai_http_service_t::last_error.
  /// [main-thread]
  void (*last_error)(const aai_host_t* host, int32_t* exit_code, const char** type,
                     const char** message, const char** suggestion);
} aai_websocket_service_t;

#define AAI_SERVICE_SECRETS "aai.secrets/1"

/// Secrets kept for the user between runs: API keys, session tokens. Added in 1.1.
/// The host keeps them in the Secret Service keyring (GNOME Keyring, KWallet) when one responds on
/// the session bus, otherwise in $XDG_DATA_HOME/aai/secrets.json, mode 0600 in a 0700 folder.
/// `core.secret_store` in config.ini forces one: "auto" (the default), "keyring" or "file". The
/// first store into a backend prints a one-time note naming it. Every value read or stored here
/// is registered for masking in logs.
typedef struct aai_secrets_service {
  uint32_t struct_size;

  /// Looks up the secret stored under `service` ("assemblyai-cli") and `account` ("default").
  /// On success stores a copy in *value, or NULL when nothing is stored, and returns
  /// AAI_STATUS_OK; free the copy with release. Returns AAI_STATUS_ERROR when the store cannot be
  /// read; last_error then describes the failure. [main-thread]
  aai_status_t (*lookup)(const aai_host_t* host, const char* service, const char* account,
                         char** value);

  /// Stores `value` under `service` and `account`, replacing what was there. `label` is what
  /// keyring tools show ("AssemblyAI API key (default)"). The file backend writes atomically.
  /// [main-thread]
  aai_status_t (*store)(const aai_host_t* host, const char* service, const char* account,
                        const char* label, const char* value);

  /// Removes the secret; *removed (may be NULL) is set to whether one was stored. Removing what is
  /// not there succeeds. [main-thread]
  aai_status_t (*remove)(const aai_host_t* host, const char* service, const char* account,
                         bool* removed);

  /// Frees a value from lookup, wiping its bytes first. NULL is allowed. [main-thread]
  void (*release)(const aai_host_t* host, char* value);

  /// Says where secrets are kept: "the Secret Service keyring" or "the file PATH". Owned by the
  /// host, valid until the next call of this service. [main-thread]
  const char* (*describe)(const aai_host_t* host);

  /// Describes the last failure: the message and a suggestion (either may be empty). Owned by the
  /// host, valid until the next call of this service. [main-thread]
  void (*last_error)(const aai_host_t* host, const char** message, const char** suggestion);
} aai_secrets_service_t;

#ifdef __cplusplus
}
#endif
