#include "stdin_lines.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include "fake_host.hpp"

namespace {

class InputReaderTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(::pipe(ends_), 0); }
  void TearDown() override {
    ::close(ends_[0]);
    if (ends_[1] >= 0) {
      ::close(ends_[1]);
    }
  }
  void send(const std::string& text) {
    ASSERT_EQ(::write(ends_[1], text.data(), text.size()), static_cast<ssize_t>(text.size()));
  }
  void close_input() {
    ::close(ends_[1]);
    ends_[1] = -1;
  }

  aai::testing::FakeHost fake_;
  aai::Host host_{fake_.raw()};
  int ends_[2] = {-1, -1};
};

TEST_F(InputReaderTest, KeepsPartialLineUntilEnd) {
  llm::InputReader reader(host_, ends_[0]);
  send("one\r\ntwo\nthr");

  ASSERT_TRUE(reader.wait(1000));
  const std::vector<std::string> first = reader.take_lines();
  close_input();
  while (!reader.at_end()) {
    reader.wait(1000);
  }
  const std::vector<std::string> rest = reader.take_lines();

  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0], "one");
  EXPECT_EQ(first[1], "two");
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0], "thr");
}

TEST_F(InputReaderTest, TimesOutWithoutInput) {
  llm::InputReader reader(host_, ends_[0]);

  EXPECT_FALSE(reader.wait(10));
  EXPECT_FALSE(reader.at_end());
}

TEST_F(InputReaderTest, ReadsAllUntilEnd) {
  llm::InputReader reader(host_, ends_[0]);
  send("all of it");
  close_input();

  EXPECT_EQ(reader.read_all(), "all of it");
}

TEST_F(InputReaderTest, StopsReadingOnInterrupt) {
  llm::InputReader reader(host_, ends_[0]);
  fake_.interrupt_on_check = 2;

  try {
    reader.read_all();
    FAIL() << "read_all returned";
  } catch (const aai::Error& error) {
    EXPECT_EQ(error.exit_code(), 130);
  }
}

TEST_F(InputReaderTest, ProbeSeesDataButNotEmptyPipe) {
  send("x");

  EXPECT_TRUE(llm::stdin_has_data(host_, ends_[0], 10));
  close_input();
  EXPECT_FALSE(llm::stdin_has_data(host_, ends_[0], 10));
}

TEST_F(InputReaderTest, ProbeSkipsTerminal) {
  fake_.terminal_fds = {0};
  send("x");

  EXPECT_FALSE(llm::stdin_has_data(host_, ends_[0], 10));
}

}  // namespace
