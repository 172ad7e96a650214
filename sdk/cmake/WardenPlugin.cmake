# SPDX-License-Identifier: Apache-2.0
# warden_add_plugin(<target> [OUTPUT_NAME <name>] SOURCES <src>...)
#
# Builds a Warden plugin: a MODULE library named <name>.so (default: the
# target's name) that exports exactly one symbol, warden_plugin_entry, and
# links against the SDK headers only (docs/plugin-interface.md, WP-SDK-1):
#   - hidden visibility for C and C++ symbols, inline functions included;
#   - -fno-gnu-unique (GCC), so the plugin's template statics and inline
#     variables stay its own even when another plugin has the same ones;
#   - --exclude-libs,ALL, so static libraries linked in export nothing;
#   - a version script that exports only warden_plugin_entry;
#   - --no-undefined, so a plugin cannot depend on symbols of the host.
#
# WARDEN_PLUGIN_INSTALL_DIR is where the host looks for plugins, relative to
# the install prefix: install(TARGETS <target> LIBRARY DESTINATION ...).
include_guard(GLOBAL)

set(WARDEN_PLUGIN_VERSION_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/warden_plugin.map")
set(WARDEN_PLUGIN_INSTALL_DIR "lib/warden/plugins")

function(warden_add_plugin target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "OUTPUT_NAME" "SOURCES")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "warden_add_plugin(${target}): unknown arguments ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT arg_SOURCES)
    message(FATAL_ERROR "warden_add_plugin(${target}): SOURCES is required")
  endif()

  add_library(${target} MODULE ${arg_SOURCES})
  target_link_libraries(${target} PRIVATE Warden::sdk_cpp)
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LINK_DEPENDS "${WARDEN_PLUGIN_VERSION_SCRIPT}")
  if(arg_OUTPUT_NAME)
    set_target_properties(${target} PROPERTIES OUTPUT_NAME "${arg_OUTPUT_NAME}")
  endif()
  target_compile_options(${target} PRIVATE $<$<COMPILE_LANG_AND_ID:CXX,GNU>:-fno-gnu-unique>)
  target_link_options(${target} PRIVATE
    "LINKER:--exclude-libs,ALL"
    "LINKER:--version-script=${WARDEN_PLUGIN_VERSION_SCRIPT}")
  # clang links a sanitizer's runtime (and libFuzzer's coverage hooks) into
  # the executable only: a plugin built with them finds those in the host.
  if(NOT (WARDEN_SANITIZERS AND CMAKE_CXX_COMPILER_ID MATCHES "Clang"))
    target_link_options(${target} PRIVATE "LINKER:--no-undefined")
  endif()
endfunction()
