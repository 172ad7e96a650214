# Compiler settings for Warden's own targets: C99/C++17, strict warnings, and
# the sanitizer builds CI runs.

set(CMAKE_C_STANDARD 99)
set(CMAKE_C_STANDARD_REQUIRED ON)
set(CMAKE_C_EXTENSIONS OFF)
set(CMAKE_CXX_STANDARD 17)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)

add_compile_options(-Wall -Wextra -Wpedantic -Werror)

# WARDEN_SANITIZERS: a list, e.g. "address;undefined" or "thread".
set(WARDEN_SANITIZERS "" CACHE STRING "Sanitizers to build with: address;undefined, or thread")
if(WARDEN_SANITIZERS)
  list(JOIN WARDEN_SANITIZERS "," sanitizers)
  add_compile_options(-fsanitize=${sanitizers} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${sanitizers})
  message(STATUS "Warden: building with -fsanitize=${sanitizers}")
endif()
