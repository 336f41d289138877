# The assignment's task list as CMake sees it, and embedlab_label_task_tests(), which
# tests/CMakeLists.txt calls for every test program. Included by tests/CMakeLists.txt.

# EMBEDLAB_TASK_IDS: the ids in assignments/tasks.txt (a student copy lists its tasks only).
file(STRINGS ${PROJECT_SOURCE_DIR}/assignments/tasks.txt task_lines REGEX "^[0-9]+\\.[0-9]+ \\|")
set(EMBEDLAB_TASK_IDS)
foreach(line IN LISTS task_lines)
  string(REGEX MATCH "^[0-9]+\\.[0-9]+" id "${line}")
  list(APPEND EMBEDLAB_TASK_IDS ${id})
endforeach()
set_property(GLOBAL PROPERTY EMBEDLAB_TASK_IDS "${EMBEDLAB_TASK_IDS}")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${PROJECT_SOURCE_DIR}/assignments/tasks.txt)

# embedlab_label_task_tests(<target> <prefix>): after <target> is built, its tests tagged
# [task<id>] get the CTest label task<id> (and [hidden] the label hidden). Call it after
# catch_discover_tests, so that CTest reads the labels after the tests exist.
function(embedlab_label_task_tests target prefix)
  set(labels_file ${CMAKE_CURRENT_BINARY_DIR}/${target}_task_labels.cmake)
  get_property(task_ids GLOBAL PROPERTY EMBEDLAB_TASK_IDS)
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND ${CMAKE_COMMAND} -D TEST_EXE=$<TARGET_FILE:${target}> -D "PREFIX=${prefix}"
            -D "TASKS=${task_ids}" -D OUT=${labels_file}
            -P ${PROJECT_SOURCE_DIR}/assignments/label_tests.cmake
    VERBATIM)
  set(include_file ${CMAKE_CURRENT_BINARY_DIR}/${target}_task_labels_include.cmake)
  file(WRITE ${include_file} "if(EXISTS \"${labels_file}\")\n  include(\"${labels_file}\")\nendif()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${include_file})
endfunction()
