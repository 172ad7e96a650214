# SPDX-License-Identifier: Apache-2.0
# cmake -DPLUGIN=<file.so> -DNM=<nm> -DEXPECT_ENTRY=ON|OFF -P check_exports.cmake
#
# Fails unless the plugin's dynamic symbol table defines warden_plugin_entry
# (when EXPECT_ENTRY) and nothing else.
execute_process(COMMAND "${NM}" -D --defined-only "${PLUGIN}"
  OUTPUT_VARIABLE symbols RESULT_VARIABLE status ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${NM} -D --defined-only ${PLUGIN} failed: ${errors}")
endif()
string(REGEX REPLACE "\n$" "" symbols "${symbols}")
set(names "")
if(symbols)
  string(REPLACE "\n" ";" lines "${symbols}")
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "^.* " "" name "${line}")
    list(APPEND names "${name}")
  endforeach()
endif()
if(EXPECT_ENTRY)
  set(expected "warden_plugin_entry")
else()
  set(expected "")
endif()
if(NOT "${names}" STREQUAL "${expected}")
  message(FATAL_ERROR "${PLUGIN} exports [${names}], expected exactly [${expected}]")
endif()
message(STATUS "${PLUGIN} exports [${names}]")
