# Included by each plugin test folder: adds the fake host library the first time.
if(NOT TARGET aai_fake_host)
  add_subdirectory("${CMAKE_CURRENT_LIST_DIR}" "${PROJECT_BINARY_DIR}/tests/plugins/support")
endif()
