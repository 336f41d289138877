# Run after a test program is built (cmake -P): gives each Catch2 test case tagged [task<id>]
# the CTest label task<id>, and each tagged [hidden] the label hidden, so that
# `ctest -L task3.2` runs one task's tests. Catch2 2.13's catch_discover_tests has no labels,
# so this asks the program for the names of each tag's tests.
# Inputs: TEST_EXE, PREFIX (the TEST_PREFIX of catch_discover_tests), TASKS (ids), OUT.
set(tags)
foreach(task IN LISTS TASKS)
  list(APPEND tags "task${task}")
endforeach()
list(APPEND tags hidden)
# One run lists the tags this program has, so only those are asked for by name (each run of a
# debug test program costs tens of milliseconds, and this runs after every rebuild).
execute_process(COMMAND "${TEST_EXE}" --list-tags OUTPUT_VARIABLE present RESULT_VARIABLE code)
set(tested)
foreach(tag IN LISTS tags)
  string(REPLACE "." "\\." pattern "${tag}")
  if(NOT present MATCHES "\\[${pattern}\\]")
    continue()
  endif()
  # --list-test-names-only exits with the number of tests listed, so the code is not an error.
  execute_process(COMMAND "${TEST_EXE}" --list-test-names-only "[${tag}]"
                  OUTPUT_VARIABLE listing RESULT_VARIABLE code ERROR_VARIABLE errors)
  if(NOT code MATCHES "^[0-9]+$")
    message(FATAL_ERROR "label_tests: ${TEST_EXE} could not list its tests: ${code} ${errors}")
  endif()
  string(REPLACE ";" "\\;" listing "${listing}")
  string(REPLACE "\n" ";" names "${listing}")
  foreach(name IN LISTS names)
    if(name STREQUAL "")
      continue()
    endif()
    string(MD5 key "${name}")
    if(NOT DEFINED labels_${key})
      list(APPEND tested "${key}")
      set(name_${key} "${name}")
    endif()
    list(APPEND labels_${key} "${tag}")
  endforeach()
endforeach()
set(content "# Written by assignments/label_tests.cmake after ${TEST_EXE} was built.\n")
foreach(key IN LISTS tested)
  string(APPEND content
    "set_tests_properties([==[${PREFIX}${name_${key}}]==] PROPERTIES LABELS \"${labels_${key}}\")\n")
endforeach()
file(WRITE "${OUT}.new" "${content}")
file(RENAME "${OUT}.new" "${OUT}")
