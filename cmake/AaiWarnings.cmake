# Warnings and sanitizers applied to every target the project builds.
add_compile_options(-Wall -Wextra -Wpedantic -Wshadow)
if(AAI_SANITIZE)
  # -O1 keeps the instrumented tests fast enough to run. scripts/test.sh pairs it with the build
  # type Sanitize, which CMake gives no flags of its own: without -g the Boost-heavy sources
  # compile much faster, and reports still name the functions.
  add_compile_options(-O1 -fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
  # With sanitizers and -O1 combined, g++ 12 reports two false positives that the same code
  # does not get otherwise: -Wmaybe-uninitialized inside libstdc++'s <regex> (std::function
  # members of its state machine), and -Wmismatched-new-delete on Boost.Asio's coroutine frames,
  # which are allocated and freed by the same awaitable_frame_base operators.
  add_compile_options(-Wno-maybe-uninitialized -Wno-mismatched-new-delete)
endif()
