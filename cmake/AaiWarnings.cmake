# Warnings and sanitizers applied to every target the project builds.
add_compile_options(-Wall -Wextra -Wpedantic -Wshadow)
if(AAI_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
