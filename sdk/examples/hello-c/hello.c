/* An aai plugin in plain C11 that needs nothing but <aai/plugin.h> and <aai/manifest.h>.
 * It adds `aai hello NAME [--times N]`, which prints a greeting as text or, under the global
 * --json option, as one JSON object, and reports bad input through invocation->fail. */
#include <aai/manifest.h>
#include <aai/plugin.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Maximum --times value. A greeting is not worth more lines than a screen holds. */
#define HELLO_MAX_TIMES 100

/* Turns a macro's value into a string literal, so that the manifest states the ABI this file is
 * compiled against instead of a number typed by hand. */
#define HELLO_STRINGIFY_VALUE(value) #value
#define HELLO_STRINGIFY(value) HELLO_STRINGIFY_VALUE(value)

/* What tools can learn about this file without loading it. */
AAI_PLUGIN_MANIFEST("{\"manifest\": " HELLO_STRINGIFY(AAI_MANIFEST_FORMAT) ", "
                    "\"name\": \"hello-c\", \"version\": \"1.0.0\", "
                    "\"abi\": \"" AAI_MANIFEST_ABI "\", "
                    "\"summary\": \"Example plugin in C: greets people\", "
                    "\"commands\": [\"hello\"], \"needs\": [], "
                    "\"summaries\": {\"hello\": \"Print a greeting\"}}");

/* Returns whether `text` is well-formed UTF-8 (no overlong forms, surrogates or code points
 * above U+10FFFF), which JSON text must be. */
static bool is_valid_utf8(const char* text) {
  const unsigned char* byte = (const unsigned char*)text;
  while (*byte != 0) {
    unsigned char lead = *byte;
    size_t length = 0;
    unsigned char second_min = 0x80;
    unsigned char second_max = 0xBF;
    if (lead < 0x80) {
      length = 1;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      second_min = lead == 0xE0 ? 0xA0 : 0x80;
      second_max = lead == 0xED ? 0x9F : 0xBF;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      second_min = lead == 0xF0 ? 0x90 : 0x80;
      second_max = lead == 0xF4 ? 0x8F : 0xBF;
    } else {
      return false;
    }
    for (size_t i = 1; i < length; ++i) {
      unsigned char low = i == 1 ? second_min : 0x80;
      unsigned char high = i == 1 ? second_max : 0xBF;
      if (byte[i] < low || byte[i] > high) {
        return false;
      }
    }
    byte += length;
  }
  return true;
}

/* Writes `size` bytes to stdout. Returns false when stdout is a closed pipe, as in
 * `aai hello Ada --times 50 | head -1`. The command then stops and exits 0, as a pipeline
 * expects. */
static bool write_bytes(const aai_output_service_t* output, const aai_host_t* host,
                        const char* data, size_t size) {
  return output->write(host, data, size) == AAI_STATUS_OK;
}

static bool write_text(const aai_output_service_t* output, const aai_host_t* host,
                       const char* text) {
  return write_bytes(output, host, text, strlen(text));
}

/* Writes "Hello, NAME!" as a JSON string. The caller checked that NAME is valid UTF-8, so only
 * quotes, backslashes and control characters need escaping. */
static bool write_json_greeting(const aai_output_service_t* output, const aai_host_t* host,
                                const char* name) {
  if (!write_text(output, host, "\"Hello, ")) {
    return false;
  }
  for (const char* at = name; *at != '\0'; ++at) {
    unsigned char byte = (unsigned char)*at;
    bool written = true;
    if (byte == '"' || byte == '\\') {
      char escaped[2] = {'\\', *at};
      written = write_bytes(output, host, escaped, sizeof escaped);
    } else if (byte < 0x20) {
      char escaped[8];
      int size = snprintf(escaped, sizeof escaped, "\\u%04x", byte);
      written = write_bytes(output, host, escaped, (size_t)size);
    } else {
      written = write_bytes(output, host, at, 1);
    }
    if (!written) {
      return false;
    }
  }
  return write_text(output, host, "!\"");
}

/* Writes {"greeting": "Hello, NAME!", "times": N} and a newline. */
static bool write_json_result(const aai_output_service_t* output, const aai_host_t* host,
                              const char* name, long long times) {
  char times_text[32];
  snprintf(times_text, sizeof times_text, "%lld", times);
  return write_text(output, host, "{\"greeting\": ") && write_json_greeting(output, host, name) &&
         write_text(output, host, ", \"times\": ") && write_text(output, host, times_text) &&
         write_text(output, host, "}\n");
}

static bool write_text_result(const aai_output_service_t* output, const aai_host_t* host,
                              const char* name, long long times) {
  for (long long i = 0; i < times; ++i) {
    if (!write_text(output, host, "Hello, ") || !write_text(output, host, name) ||
        !write_text(output, host, "!\n")) {
      return false;
    }
  }
  return true;
}

static int32_t run_hello(void* context, const aai_host_t* host,
                         const aai_invocation_t* invocation) {
  (void)context;
  /* A service lookup returns NULL when the host does not offer the id. aai.output/1 exists
   * since ABI 1.0, so this only guards against a broken host. */
  const aai_output_service_t* output =
      (const aai_output_service_t*)host->get_service(host, AAI_SERVICE_OUTPUT);
  if (output == NULL) {
    invocation->fail(invocation, AAI_EXIT_FAILURE, "internal_error",
                     "This aai offers no aai.output/1 service.",
                     "Update aai to a version that matches this plugin.", NULL);
    return AAI_EXIT_FAILURE;
  }

  /* NAME is a required argument, so the host has already rejected a command line without it. */
  const char* name = invocation->argument_value(invocation, 0);
  if (name[strspn(name, " \t")] == '\0') {
    invocation->fail(invocation, AAI_EXIT_USAGE, "usage_error", "The name is empty or blank.",
                     "Pass a name, such as `aai hello Ada`.", NULL);
    return AAI_EXIT_USAGE;
  }
  if (!is_valid_utf8(name)) {
    invocation->fail(invocation, AAI_EXIT_USAGE, "usage_error", "The name is not valid UTF-8.",
                     "Check the terminal's character encoding.", NULL);
    return AAI_EXIT_USAGE;
  }

  /* --times is an AAI_OPTION_INTEGER with a default, so the host has already checked that it is
   * present and a 64-bit integer. Only the range is left to check here. */
  const char* times_text = invocation->option_value(invocation, "times", 0);
  long long times = strtoll(times_text, NULL, 10);
  if (times < 1 || times > HELLO_MAX_TIMES) {
    char message[128];
    snprintf(message, sizeof message,
             "Invalid value '%s' for --times: expected a whole number from 1 to %d.", times_text,
             HELLO_MAX_TIMES);
    invocation->fail(invocation, AAI_EXIT_USAGE, "usage_error", message, NULL, NULL);
    return AAI_EXIT_USAGE;
  }

  /* A false result means stdout is a closed pipe, which still counts as success. */
  if (output->is_json(host)) {
    write_json_result(output, host, name, times);
  } else {
    write_text_result(output, host, name, times);
  }
  return AAI_EXIT_OK;
}

static aai_status_t register_hello(const aai_host_t* host, const aai_registrar_t* registrar) {
  (void)host;
  /* The host copies every spec during add_command, so these may live on the stack. */
  const aai_option_spec_t options[] = {
      {sizeof(aai_option_spec_t), "times", 't', AAI_OPTION_INTEGER, "1", "N", NULL, false,
       "How many times to print the greeting, from 1 to " HELLO_STRINGIFY(HELLO_MAX_TIMES) "."},
  };
  const aai_argument_spec_t arguments[] = {
      {sizeof(aai_argument_spec_t), "NAME", "Who to greet.", true, false},
  };
  aai_command_spec_t spec;
  memset(&spec, 0, sizeof spec);
  spec.struct_size = sizeof spec;
  spec.name = "hello";
  spec.summary = "Print a greeting";
  spec.description = "With --json, prints {\"greeting\": \"Hello, NAME!\", \"times\": N}.";
  spec.options = options;
  spec.option_count = sizeof options / sizeof options[0];
  spec.arguments = arguments;
  spec.argument_count = sizeof arguments / sizeof arguments[0];
  spec.run = run_hello;
  return registrar->add_command(registrar, &spec);
}

static const aai_plugin_descriptor_t descriptor = {
    sizeof(aai_plugin_descriptor_t),
    {AAI_ABI_VERSION_MAJOR, AAI_ABI_VERSION_MINOR, AAI_ABI_VERSION_PATCH},
    "hello-c",
    "1.0.0",
    "Example plugin in C: greets people",
    register_hello,
};

/* The one symbol the plugin exports. It only returns the static descriptor, because the host
 * calls it for every plugin on every start. */
AAI_PLUGIN_EXPORT const aai_plugin_descriptor_t* aai_plugin_entry(void) {
  return &descriptor;
}
