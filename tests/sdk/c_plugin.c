/* A plugin written in plain C11, to prove the ABI needs nothing from C++. The SDK tests compile
 * it and the integration tests load it into the real host. */
#include <aai/plugin.h>

#include <string.h>

static int32_t run_greet(void* context, const aai_host_t* host,
                         const aai_invocation_t* invocation) {
  (void)context;
  const aai_output_service_t* output =
      (const aai_output_service_t*)host->get_service(host, AAI_SERVICE_OUTPUT);
  const char* name = invocation->option_value(invocation, "name", 0);
  if (name == NULL || name[0] == '\0') {
    invocation->fail(invocation, AAI_EXIT_USAGE, "usage_error", "The name is empty.",
                     "Pass a name with --name.", NULL);
    return AAI_EXIT_USAGE;
  }
  output->write(host, "hello, ", 7);
  output->write(host, name, strlen(name));
  output->write(host, "\n", 1);
  return AAI_EXIT_OK;
}

static aai_status_t register_c_greeter(const aai_host_t* host, const aai_registrar_t* registrar) {
  (void)host;
  static const aai_option_spec_t options[] = {
      {sizeof(aai_option_spec_t), "name", 'n', AAI_OPTION_STRING, "world", "NAME", NULL, false,
       "Who to greet."},
  };
  aai_command_spec_t spec;
  memset(&spec, 0, sizeof spec);
  spec.struct_size = sizeof spec;
  spec.name = "greet";
  spec.summary = "Print a greeting (a plugin written in C)";
  spec.options = options;
  spec.option_count = 1;
  spec.run = run_greet;
  return registrar->add_command(registrar, &spec);
}

static const aai_plugin_descriptor_t descriptor = {
    sizeof(aai_plugin_descriptor_t),
    {AAI_ABI_VERSION_MAJOR, AAI_ABI_VERSION_MINOR, AAI_ABI_VERSION_PATCH},
    "c-greeter",
    "1.0.0",
    "A plugin written in C",
    register_c_greeter,
};

AAI_PLUGIN_EXPORT const aai_plugin_descriptor_t* aai_plugin_entry(void) {
  return &descriptor;
}
