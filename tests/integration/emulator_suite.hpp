// A test fixture whose suite shares one emulator in strict key mode ("test-key").
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "harness.hpp"

namespace aai::testing {

/// Base of a suite that runs `aai --env local ...` against one emulator, started once because
/// loading the acoustic model takes a moment. `Suite` is the derived fixture, so each suite gets
/// its own emulator.
template <typename Suite>
class EmulatorSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = std::make_unique<TempDir>();
    emulator_ = std::make_unique<Emulator>(data_->path() / "emulator", "test-key");
  }
  static void TearDownTestSuite() {
    emulator_.reset();
    data_.reset();
  }

  void SetUp() override {
    sandbox_.set_env("AAI_LOCAL_PORT", std::to_string(emulator_->port()));
    sandbox_.set_env("ASSEMBLYAI_API_KEY", "test-key");
  }

  /// Returns `args` with `--env local` in front.
  static std::vector<std::string> local(std::vector<std::string> args) {
    args.insert(args.begin(), {"--env", "local"});
    return args;
  }

  RunResult aai(const std::vector<std::string>& args, const std::string& input = {}) {
    return sandbox_.run(local(args), input);
  }

  static inline std::unique_ptr<TempDir> data_;
  static inline std::unique_ptr<Emulator> emulator_;
  Sandbox sandbox_;
  TempDir files_;
};

}  // namespace aai::testing
