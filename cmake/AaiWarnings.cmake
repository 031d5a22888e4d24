# Warnings and sanitizers applied to every target the project builds.
add_compile_options(-Wall -Wextra -Wpedantic -Wshadow)
if(AAI_SANITIZE)
  # -O1 keeps the instrumented tests fast enough to run. scripts/test.sh pairs it with the build
  # type Sanitize, which CMake gives no flags of its own: without -g the Boost-heavy sources
  # compile much faster, and reports still name the functions.
  add_compile_options(-O1 -fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
  # g++ 12 reports -Wmaybe-uninitialized inside libstdc++'s <regex> (std::function members of
  # its state machine) when sanitizers and -O1 are combined; the same code is clean otherwise.
  add_compile_options(-Wno-maybe-uninitialized)
endif()
