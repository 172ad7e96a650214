# SPDX-License-Identifier: Apache-2.0
# Compiler settings for Warden's own targets: C99/C++17, strict warnings, and
# the sanitizer builds CI runs.

set(CMAKE_C_STANDARD 99)
set(CMAKE_C_STANDARD_REQUIRED ON)
set(CMAKE_C_EXTENSIONS OFF)
set(CMAKE_CXX_STANDARD 17)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)

# Warnings are errors in Warden's own builds and CI; a distribution building
# with a newer compiler than Warden was tried with turns that off.
option(WARDEN_WERROR "Treat compiler warnings as errors" ON)
add_compile_options(-Wall -Wextra -Wpedantic)
if(WARDEN_WERROR)
  add_compile_options(-Werror)
endif()

# WARDEN_SANITIZERS: a list, e.g. "address;undefined" or "thread".
set(WARDEN_SANITIZERS "" CACHE STRING "Sanitizers to build with: address;undefined, or thread")
if(WARDEN_SANITIZERS)
  list(JOIN WARDEN_SANITIZERS "," sanitizers)
  add_compile_options(-fsanitize=${sanitizers} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${sanitizers})
  message(STATUS "Warden: building with -fsanitize=${sanitizers}")
endif()

# WARDEN_FUZZ: build the libFuzzer targets (tests/fuzz). Needs clang; every
# target gets libFuzzer's coverage instrumentation, so combine it with the
# address and undefined sanitizers.
option(WARDEN_FUZZ "Build the libFuzzer targets (clang only)" OFF)
if(WARDEN_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "WARDEN_FUZZ needs clang (CC=clang CXX=clang++)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
  message(STATUS "Warden: building the libFuzzer targets")
endif()
