# Where things land, in the build tree and in an install prefix alike:
#   bin/aai                       the executable
#   lib/aai/plugins/NAME.so       plugins, found relative to the executable
#   lib/aai/libaai-net.so         the host's network stack, loaded only when a command sends a request
#   lib/aai/libexec/              helper programs started by plugins (the local emulator)
# The same relative layout in both places is what lets build/bin/aai and PREFIX/bin/aai find
# their plugins without any configuration.
set(AAI_LIB_DIR "lib/aai")
set(AAI_PLUGIN_DIR "${AAI_LIB_DIR}/plugins")
set(AAI_LIBEXEC_DIR "${AAI_LIB_DIR}/libexec")

set(CMAKE_RUNTIME_OUTPUT_DIRECTORY "${PROJECT_BINARY_DIR}/bin")

# aai_add_plugin(NAME SOURCES...) builds a plugin module with hidden visibility into the plugin
# folder and installs it there. The function is the one the installed aai-sdk package gives
# third parties; these two variables are its in-tree defaults.
set(AAI_PLUGIN_OUTPUT_DIRECTORY "${PROJECT_BINARY_DIR}/${AAI_PLUGIN_DIR}")
set(AAI_PLUGIN_INSTALL_DESTINATION "${AAI_PLUGIN_DIR}")
include("${CMAKE_CURRENT_LIST_DIR}/../sdk/cmake/AaiSdkPlugin.cmake")
