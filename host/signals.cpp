#include "signals.hpp"

#include <atomic>
#include <csignal>

#include <unistd.h>

namespace aai::host {

namespace {

std::atomic<bool> interrupted{false};

extern "C" void on_interrupt(int /*signal*/) {
  if (interrupted.exchange(true)) {
    _exit(130);
  }
}

}  // namespace

void install_signal_handlers() {
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ignore, nullptr);

  struct sigaction handler {};
  handler.sa_handler = &on_interrupt;
  sigemptyset(&handler.sa_mask);
  sigaction(SIGINT, &handler, nullptr);
  sigaction(SIGTERM, &handler, nullptr);
}

bool is_interrupted() {
  return interrupted.load();
}

void reset_interrupted() {
  interrupted.store(false);
}

}  // namespace aai::host
