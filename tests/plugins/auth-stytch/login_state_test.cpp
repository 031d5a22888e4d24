#include "login_state.hpp"

#include <set>
#include <string>

#include <gtest/gtest.h>

namespace auth_stytch {
namespace {

TEST(LoginStateTest, MakesSixtyFourLowercaseHexCharacters) {
  const std::string state = make_login_state();

  EXPECT_EQ(state.size(), 64u);
  EXPECT_EQ(state.find_first_not_of("0123456789abcdef"), std::string::npos) << state;
}

TEST(LoginStateTest, MakesADifferentStateEachTime) {
  std::set<std::string> states;
  for (int i = 0; i < 100; ++i) {
    states.insert(make_login_state());
  }

  EXPECT_EQ(states.size(), 100u);
}

TEST(LoginStateTest, MatchesOnlyEqualStates) {
  const std::string state = make_login_state();
  std::string last_byte_changed = state;
  last_byte_changed.back() = state.back() == '0' ? '1' : '0';
  std::string first_byte_changed = state;
  first_byte_changed.front() = state.front() == '0' ? '1' : '0';

  EXPECT_TRUE(states_match(state, state));
  EXPECT_TRUE(states_match("", ""));
  EXPECT_FALSE(states_match(state, last_byte_changed));
  EXPECT_FALSE(states_match(state, first_byte_changed));
  EXPECT_FALSE(states_match(state, state.substr(0, 63)));
  EXPECT_FALSE(states_match(state, state + "0"));
  EXPECT_FALSE(states_match(state, ""));
  EXPECT_FALSE(states_match("", state));
}

}  // namespace
}  // namespace auth_stytch
