# SPDX-License-Identifier: Apache-2.0
# cmake -DCOMPILER=<c++> -DSOURCE=<file.cpp> -DSDK_INCLUDE=<dir> -P check_compile.cmake
#
# Compiles SOURCE as a plugin would (C++17, every warning an error; syntax
# only: the wrapper's checks all run at compile time). Its one `// expect:`
# line says what must happen: `compiles`, or the start of the message of the
# static_assert the wrapper must refuse it with. A refusal with any other
# error, or with a second one, fails the test: the source must be wrong in
# exactly the one way it says.
file(STRINGS "${SOURCE}" expect_lines REGEX "^// expect: ")
list(LENGTH expect_lines count)
if(NOT count EQUAL 1)
  message(FATAL_ERROR "${SOURCE}: needs exactly one `// expect:` line, has ${count}")
endif()
string(REGEX REPLACE "^// expect: " "" expect "${expect_lines}")

get_filename_component(source_dir "${SOURCE}" DIRECTORY)
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env LC_ALL=C
          ${COMPILER} -std=c++17 -Wall -Wextra -Wpedantic -Werror -fsyntax-only
          -fdiagnostics-color=never -I${SDK_INCLUDE} -I${source_dir} ${SOURCE}
  RESULT_VARIABLE status
  OUTPUT_VARIABLE output
  ERROR_VARIABLE output)

# One list element per line of output (semicolons and brackets would split
# or join CMake list elements).
string(REPLACE ";" "," lines "${output}")
string(REPLACE "[" "(" lines "${lines}")
string(REPLACE "]" ")" lines "${lines}")
string(REPLACE "\n" ";" lines "${lines}")
set(errors "")
foreach(line IN LISTS lines)
  if(line MATCHES "error: ")
    list(APPEND errors "${line}")
  endif()
endforeach()
list(LENGTH errors error_count)

if(expect STREQUAL "compiles")
  if(NOT status EQUAL 0 OR NOT output STREQUAL "")
    message(FATAL_ERROR "${SOURCE} must compile cleanly:\n${output}")
  endif()
  message(STATUS "${SOURCE}: compiles")
  return()
endif()

if(status EQUAL 0)
  message(FATAL_ERROR "${SOURCE} compiled; expected the wrapper to refuse it with: ${expect}")
endif()
if(NOT error_count EQUAL 1)
  message(FATAL_ERROR
    "${SOURCE}: expected one error, the wrapper's `${expect}`; got ${error_count}:\n${output}")
endif()
# g++: "error: static assertion failed: MESSAGE";
# clang: "error: static_assert failed due to requirement '...' "MESSAGE"".
string(FIND "${errors}" "${expect}" at)
if(NOT errors MATCHES "error: static[_ ]assert(ion)? failed" OR at EQUAL -1)
  message(FATAL_ERROR "${SOURCE}: expected the wrapper's `${expect}`; got:\n${output}")
endif()
message(STATUS "${SOURCE}: refused: ${errors}")
