// A shared library that aai opens only when a command needs it, and the functions it looks up in
// it, so that start-up does not pay for libraries most runs never use.
#pragma once

#include <dlfcn.h>

#include <string>

namespace aai::host {

class LazyLibrary {
 public:
  /// Opens `soname` with dlopen. The handle is never closed: each library is opened once per
  /// process, like the plugins. A failure is kept in error().
  explicit LazyLibrary(const char* soname) : soname_(soname) {
    handle_ = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (handle_ == nullptr) {
      const char* reason = ::dlerror();
      error_ = std::string("could not load ") + soname + ": " +
               (reason != nullptr ? reason : "dlopen failed");
    }
  }

  /// Looks up `name` into `function`, declared from the library's own header so that its type is
  /// checked at compile time. Does nothing once an earlier step failed.
  template <typename Function>
  void resolve(const char* name, Function& function) {
    if (!error_.empty()) {
      return;
    }
    function = reinterpret_cast<Function>(::dlsym(handle_, name));
    if (function == nullptr) {
      error_ = std::string(soname_) + " has no function " + name;
    }
  }

  /// Reason the library cannot be used, or empty when it opened and every lookup succeeded.
  const std::string& error() const { return error_; }

  /// Records a reason found after the lookups, such as an unsupported version.
  void fail(std::string reason) { error_ = std::move(reason); }

 private:
  const char* soname_;
  void* handle_ = nullptr;
  std::string error_;
};

}  // namespace aai::host
