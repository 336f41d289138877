# Runs a program and checks that it failed the way a user error should: exit code 2 and exactly
# one line on stderr that starts with "embedlab-word2vec: error:". A crash (a signal) or any
# other exit code fails the test.
# Usage: cmake -DPROGRAM=<exe> "-DARGS=<arg;arg;...>" -P expect_usage_error.cmake
execute_process(COMMAND ${PROGRAM} ${ARGS}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc STREQUAL "2")
  message(FATAL_ERROR "expected exit code 2, got '${rc}'\nstderr: ${err}")
endif()
string(REGEX MATCHALL "\n" newlines "${err}")
list(LENGTH newlines lines)
if(NOT lines EQUAL 1 OR NOT err MATCHES "^embedlab-word2vec: error: ")
  message(FATAL_ERROR "expected one 'embedlab-word2vec: error:' line on stderr, got:\n${err}")
endif()
message(STATUS "exit code 2: ${err}")
