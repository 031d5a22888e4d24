// Compiled as C++17: the C++ layer promises to work for plugin authors on C++17 compilers.
#include <aai/plugin.hpp>

namespace {

[[maybe_unused]] void register_nothing(aai::Registrar&) {}

}  // namespace
