#include "extra_fields.hpp"

#include <gtest/gtest.h>
#include <aai/plugin.hpp>

#include <string>

namespace {

using nlohmann::json;

std::string error_message(const std::vector<std::string>& items) {
  try {
    llm::parse_extra_fields(items);
  } catch (const aai::Error& error) {
    EXPECT_EQ(error.exit_code(), 2);
    return error.what();
  }
  return "no error";
}

TEST(ExtraFieldsTest, ParsesJsonValues) {
  const json fields = llm::parse_extra_fields({"top_p=0.9", "n=2", "flag=true", "meta={\"a\":1}"});

  EXPECT_EQ(fields["top_p"], 0.9);
  EXPECT_EQ(fields["n"], 2);
  EXPECT_EQ(fields["flag"], true);
  EXPECT_EQ(fields["meta"], json({{"a", 1}}));
}

TEST(ExtraFieldsTest, KeepsOtherValuesAsStrings) {
  const json fields = llm::parse_extra_fields({"user=ada", "empty=", "eq=a=b"});

  EXPECT_EQ(fields["user"], "ada");
  EXPECT_EQ(fields["empty"], "");
  EXPECT_EQ(fields["eq"], "a=b");
}

TEST(ExtraFieldsTest, LaterKeyWins) {
  EXPECT_EQ(llm::parse_extra_fields({"n=1", "n=2"})["n"], 2);
}

TEST(ExtraFieldsTest, RejectsItemWithoutEquals) {
  EXPECT_EQ(error_message({"top_p"}), "Invalid --config 'top_p': expected KEY=VALUE.");
  EXPECT_EQ(error_message({"=1"}), "Invalid --config '=1': expected KEY=VALUE.");
}

TEST(ExtraFieldsTest, RejectsKeysOfOtherOptions) {
  for (const char* key : {"model", "messages", "stream", "prompt"}) {
    EXPECT_EQ(error_message({std::string(key) + "=x"}),
              std::string("--config cannot set '") + key + "'.");
  }
}

}  // namespace
