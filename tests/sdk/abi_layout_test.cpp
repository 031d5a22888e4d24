// Checks the parts of the C ABI that must never change within major version 1.
#include <aai/plugin.h>

#include <cstddef>

#include <gtest/gtest.h>

namespace {

TEST(AbiLayoutTest, GrowableStructsStartWithTheirSize) {
  EXPECT_EQ(offsetof(aai_host_t, struct_size), 0u);
  EXPECT_EQ(offsetof(aai_plugin_descriptor_t, struct_size), 0u);
  EXPECT_EQ(offsetof(aai_command_spec_t, struct_size), 0u);
  EXPECT_EQ(offsetof(aai_option_spec_t, struct_size), 0u);
  EXPECT_EQ(offsetof(aai_argument_spec_t, struct_size), 0u);
  EXPECT_EQ(offsetof(aai_invocation_t, struct_size), 0u);
  EXPECT_EQ(offsetof(aai_registrar_t, struct_size), 0u);
  EXPECT_EQ(offsetof(aai_provider_spec_t, struct_size), 0u);
  EXPECT_EQ(offsetof(aai_request_editor_t, struct_size), 0u);
  EXPECT_EQ(offsetof(aai_http_request_t, struct_size), 0u);
  EXPECT_EQ(offsetof(aai_http_response_t, struct_size), 0u);
  EXPECT_EQ(offsetof(aai_log_service_t, struct_size), 0u);
  EXPECT_EQ(offsetof(aai_output_service_t, struct_size), 0u);
  EXPECT_EQ(offsetof(aai_progress_service_t, struct_size), 0u);
  EXPECT_EQ(offsetof(aai_config_service_t, struct_size), 0u);
  EXPECT_EQ(offsetof(aai_environment_service_t, struct_size), 0u);
  EXPECT_EQ(offsetof(aai_http_service_t, struct_size), 0u);
  EXPECT_EQ(offsetof(aai_environment_spec_t, struct_size), 0u);
}

// Fields of 1.0 stay where they are: a plugin built against 1.0 reads them at these offsets.
TEST(AbiLayoutTest, DescriptorFieldsKeepTheirOffsets) {
  EXPECT_EQ(offsetof(aai_plugin_descriptor_t, abi_version), 4u);
  EXPECT_EQ(offsetof(aai_plugin_descriptor_t, name), 16u);
  EXPECT_EQ(offsetof(aai_plugin_descriptor_t, version), 24u);
  EXPECT_EQ(offsetof(aai_plugin_descriptor_t, summary), 32u);
  EXPECT_EQ(offsetof(aai_plugin_descriptor_t, register_plugin), 40u);
  EXPECT_EQ(sizeof(aai_plugin_descriptor_t), 48u);
}

// add_environment_spec (1.4) comes after every 1.0 member, which keep their offsets.
TEST(AbiLayoutTest, RegistrarGrowsAtTheEnd) {
  EXPECT_EQ(offsetof(aai_registrar_t, host_data), 8u);
  EXPECT_EQ(offsetof(aai_registrar_t, add_command), 16u);
  EXPECT_EQ(offsetof(aai_registrar_t, add_environment), 24u);
  EXPECT_EQ(offsetof(aai_registrar_t, add_pre_request_hook), 32u);
  EXPECT_EQ(offsetof(aai_registrar_t, add_provider), 40u);
  EXPECT_EQ(offsetof(aai_registrar_t, add_environment_spec), 48u);
  EXPECT_EQ(sizeof(aai_registrar_t), 56u);
}

TEST(AbiLayoutTest, EnvironmentSpecFieldsKeepTheirOffsets) {
  EXPECT_EQ(offsetof(aai_environment_spec_t, name), 8u);
  EXPECT_EQ(offsetof(aai_environment_spec_t, summary), 16u);
  EXPECT_EQ(offsetof(aai_environment_spec_t, fields), 24u);
  EXPECT_EQ(offsetof(aai_environment_spec_t, field_count), 32u);
  EXPECT_EQ(offsetof(aai_environment_spec_t, origin), 40u);
  EXPECT_EQ(offsetof(aai_environment_spec_t, replaceable), 48u);
  EXPECT_EQ(sizeof(aai_environment_spec_t), 56u);
}

TEST(AbiLayoutTest, VersionIsOnePointFive) {
  EXPECT_EQ(AAI_ABI_VERSION_MAJOR, 1);
  EXPECT_EQ(AAI_ABI_VERSION_MINOR, 5);
}

// The HTTP flags are bits of one field, so a new flag must not reuse an older one's bit.
TEST(AbiLayoutTest, HttpFlagsAreDistinctBits) {
  EXPECT_EQ(AAI_HTTP_KEEP_UNAUTHORIZED, 0x1u);
  EXPECT_EQ(AAI_HTTP_STREAM_SUCCESS_ONLY, 0x2u);
  EXPECT_EQ(AAI_HTTP_RETRY_DROPPED, 0x4u);
}

TEST(AbiLayoutTest, ExitCodesMatchTheDocumentedTable) {
  EXPECT_EQ(AAI_EXIT_OK, 0);
  EXPECT_EQ(AAI_EXIT_FAILURE, 1);
  EXPECT_EQ(AAI_EXIT_USAGE, 2);
  EXPECT_EQ(AAI_EXIT_NOT_AUTHENTICATED, 4);
  EXPECT_EQ(AAI_EXIT_INTERRUPTED, 130);
}

TEST(AbiLayoutTest, ServiceIdsCarryTheirRevision) {
  EXPECT_STREQ(AAI_SERVICE_HTTP, "aai.http/1");
  EXPECT_STREQ(AAI_SERVICE_OUTPUT, "aai.output/1");
  EXPECT_STREQ(AAI_SERVICE_LOG, "aai.log/1");
  EXPECT_STREQ(AAI_SERVICE_CONFIG, "aai.config/1");
  EXPECT_STREQ(AAI_SERVICE_ENVIRONMENT, "aai.environment/1");
  EXPECT_STREQ(AAI_SERVICE_PROGRESS, "aai.progress/1");
  EXPECT_STREQ(AAI_PLUGIN_ENTRY_SYMBOL, "aai_plugin_entry");
}

}  // namespace
