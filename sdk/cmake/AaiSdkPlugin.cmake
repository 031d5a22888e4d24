# aai_add_plugin(NAME [OUTPUT_DIRECTORY DIR] [INSTALL_DESTINATION DIR] SOURCE...)
#
# Builds an aai plugin: a MODULE library named NAME.so (no "lib" prefix, because the host loads
# every *.so file in its plugin folders), linked to aai::sdk, with hidden C and C++ visibility so
# that each plugin keeps its own copy of plugin.hpp's state. Where the linker accepts them,
# -Wl,--no-undefined turns a missing symbol into a link error instead of a plugin that fails to
# load, and -Wl,--as-needed drops libraries the plugin does not use.
#
# OUTPUT_DIRECTORY is the folder the .so is written to. It defaults to
# AAI_PLUGIN_OUTPUT_DIRECTORY when that variable is set, else to CMake's default (the current
# binary folder). INSTALL_DESTINATION adds an install rule for the .so. It defaults to
# AAI_PLUGIN_INSTALL_DESTINATION when that variable is set, else no install rule is added.
# The aai source tree sets both variables in cmake/AaiLayout.cmake. The installed aai-sdk package
# sets neither, so an out-of-tree plugin is only built. aai loads it from any folder named in
# AAI_PLUGIN_PATH, or from $XDG_DATA_HOME/aai/plugins (~/.local/share/aai/plugins).
#
# This file is shared by the aai build and the installed aai-sdk package, so it may only rely on
# what both have: CMake 3.25 and a target named aai::sdk.

include_guard(GLOBAL)
include(CheckLinkerFlag)

# Stores in OUT_VARIABLE the plugin link flags that LANGUAGE's linker accepts. Each result is
# cached, so the check runs once per build folder.
function(_aai_plugin_link_options out_variable language)
  set(accepted "")
  foreach(flag IN ITEMS "-Wl,--no-undefined" "-Wl,--as-needed")
    string(MAKE_C_IDENTIFIER "AAI_LINKER_ACCEPTS_${language}${flag}" result_variable)
    check_linker_flag(${language} "${flag}" ${result_variable})
    if(${result_variable})
      list(APPEND accepted "${flag}")
    endif()
  endforeach()
  set(${out_variable} "${accepted}" PARENT_SCOPE)
endfunction()

function(aai_add_plugin name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "OUTPUT_DIRECTORY;INSTALL_DESTINATION" "")
  if(arg_KEYWORDS_MISSING_VALUES)
    list(JOIN arg_KEYWORDS_MISSING_VALUES " and " keywords)
    message(FATAL_ERROR "aai_add_plugin(${name}): ${keywords} needs a folder after it.")
  endif()
  set(sources ${arg_UNPARSED_ARGUMENTS})
  if(NOT sources)
    message(FATAL_ERROR
      "aai_add_plugin(${name}): no source files given. "
      "Call it as aai_add_plugin(${name} plugin.cpp ...).")
  endif()

  # The linker flags are tested with the project's own language, because a C-only project has
  # no C++ compiler to test them with.
  get_property(languages GLOBAL PROPERTY ENABLED_LANGUAGES)
  if("CXX" IN_LIST languages)
    _aai_plugin_link_options(link_options CXX)
  elseif("C" IN_LIST languages)
    _aai_plugin_link_options(link_options C)
  else()
    message(FATAL_ERROR
      "aai_add_plugin(${name}): the project enables neither C nor C++. "
      "Add LANGUAGES C or LANGUAGES CXX to its project() call.")
  endif()

  if(NOT DEFINED arg_OUTPUT_DIRECTORY AND DEFINED AAI_PLUGIN_OUTPUT_DIRECTORY)
    set(arg_OUTPUT_DIRECTORY "${AAI_PLUGIN_OUTPUT_DIRECTORY}")
  endif()
  if(NOT DEFINED arg_INSTALL_DESTINATION AND DEFINED AAI_PLUGIN_INSTALL_DESTINATION)
    set(arg_INSTALL_DESTINATION "${AAI_PLUGIN_INSTALL_DESTINATION}")
  endif()

  add_library(${name} MODULE ${sources})
  target_link_libraries(${name} PRIVATE aai::sdk)
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    SUFFIX ".so"
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_link_options(${name} PRIVATE ${link_options})
  if(DEFINED arg_OUTPUT_DIRECTORY)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${arg_OUTPUT_DIRECTORY}")
  endif()
  if(DEFINED arg_INSTALL_DESTINATION)
    install(TARGETS ${name} LIBRARY DESTINATION "${arg_INSTALL_DESTINATION}")
  endif()
endfunction()
