#include "installed_plugins.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

namespace aai::host {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

const std::string kDigest(64, 'a');

std::string problem_of(const std::string& text) {
  try {
    parse_installed_plugins(text);
  } catch (const InvalidInstalledPlugins& error) {
    return error.what();
  }
  ADD_FAILURE() << "accepted: " << text;
  return "";
}

TEST(InstalledPluginsTest, WritesSortedAndReadsBack) {
  TempDir dir;
  std::vector<InstalledPlugin> plugins = {{"zeta", "2.0.0", kDigest, "/src/zeta.so"},
                                          {"alpha", "1.0.0", kDigest, "/src/alpha.so"}};

  write_installed_plugins(dir.path(), plugins);
  auto read = read_installed_plugins(dir.path());

  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[0].name, "alpha");
  EXPECT_EQ(read[0].version, "1.0.0");
  EXPECT_EQ(read[0].sha256, kDigest);
  EXPECT_EQ(read[0].source, "/src/alpha.so");
  EXPECT_EQ(read[0].file_name(), "alpha.so");
  EXPECT_EQ(read[1].name, "zeta");
  struct stat info {};
  ASSERT_EQ(::stat(installed_plugins_path(dir.path()).c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0600u);
  EXPECT_EQ(testing::read_text(installed_plugins_path(dir.path())),
            "{\n  \"format\": 1,\n  \"plugins\": [\n    {\n      \"name\": \"alpha\",\n"
            "      \"version\": \"1.0.0\",\n      \"sha256\": \"" +
                kDigest +
                "\",\n      \"source\": \"/src/alpha.so\"\n    },\n    {\n"
                "      \"name\": \"zeta\",\n      \"version\": \"2.0.0\",\n      \"sha256\": \"" +
                kDigest + "\",\n      \"source\": \"/src/zeta.so\"\n    }\n  ]\n}\n");
}

TEST(InstalledPluginsTest, MissingFileIsEmpty) {
  TempDir dir;

  EXPECT_TRUE(read_installed_plugins(dir.path()).empty());
  EXPECT_TRUE(read_installed_plugins(dir.path() / "missing" / "folder").empty());
}

TEST(InstalledPluginsTest, RejectsInvalidText) {
  std::string entry =
      R"({"name": "a", "version": "1", "sha256": ")" + kDigest + R"(", "source": "/a.so"})";
  EXPECT_EQ(problem_of("{"),
            "it is not valid JSON: parse error at line 1, column 2: syntax error while parsing "
            "object key - unexpected end of input; expected string literal");
  EXPECT_EQ(problem_of("[]"), "it must be a JSON object");
  EXPECT_EQ(problem_of(R"({"plugins": []})"), "\"format\" must be 1");
  EXPECT_EQ(problem_of(R"({"format": 2, "plugins": []})"), "\"format\" must be 1");
  EXPECT_EQ(problem_of(R"({"format": 1})"), "\"plugins\" must be an array");
  EXPECT_EQ(problem_of(R"({"format": 1, "plugins": [3]})"), "plugins[0] must be an object");
  EXPECT_EQ(problem_of(R"({"format": 1, "plugins": [{"name": "a"}]})"),
            "plugins[0] has no string \"version\"");
  EXPECT_EQ(problem_of(R"({"format": 1, "plugins": [{"name": "../x", "version": "1", "sha256": ")" +
                       kDigest + R"(", "source": "/a.so"}]})"),
            "plugins[0] has the invalid name '../x'");
  EXPECT_EQ(problem_of(R"({"format": 1, "plugins": [{"name": "a", "version": "1", "sha256": ")" +
                       std::string(64, 'A') + R"(", "source": "/a.so"}]})"),
            "plugins[0] has an invalid \"sha256\": expected 64 lower-case hexadecimal digits");
  EXPECT_EQ(problem_of(R"({"format": 1, "plugins": [)" + entry + ", " + entry + "]}"),
            "it lists the plugin 'a' twice");
}

TEST(InstalledPluginsTest, ReadNamesTheFile) {
  TempDir dir;
  testing::write_text(installed_plugins_path(dir.path()), "not json");

  try {
    read_installed_plugins(dir.path());
    FAIL() << "an invalid record was read";
  } catch (const InvalidInstalledPlugins& error) {
    EXPECT_EQ(std::string(error.what()),
              installed_plugins_path(dir.path()).string() +
                  " is invalid: it is not valid JSON: parse error at line 1, column 2: syntax "
                  "error while parsing value - invalid literal; last read: 'no'");
  }
}

TEST(InstalledPluginsTest, FindsByName) {
  std::vector<InstalledPlugin> plugins = {{"a", "1", kDigest, "/a.so"},
                                          {"b", "2", kDigest, "/b.so"}};

  ASSERT_NE(find_installed(plugins, "b"), nullptr);
  EXPECT_EQ(find_installed(plugins, "b")->version, "2");
  EXPECT_EQ(find_installed(plugins, "c"), nullptr);
}

}  // namespace
}  // namespace aai::host
