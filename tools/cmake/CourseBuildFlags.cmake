# Compiler flags shared by the course's targets, as two interface targets:
#   course_warnings   -Wall -Wextra (and -Werror when COURSE_WERROR is on)
#   course_sanitizers the sanitizer chosen by COURSE_SANITIZER, for chapters, tests and the
#                     support library (never for the grader, which only runs them)
include_guard(GLOBAL)

add_library(course_warnings INTERFACE)
target_compile_options(course_warnings INTERFACE -Wall -Wextra)
if(COURSE_WERROR)
  target_compile_options(course_warnings INTERFACE -Werror)
endif()

add_library(course_sanitizers INTERFACE)
if(COURSE_SANITIZER STREQUAL "thread")
  set(_course_sanitize -fsanitize=thread)
  target_compile_definitions(course_sanitizers INTERFACE COURSE_THREAD_SANITIZER)
elseif(COURSE_SANITIZER STREQUAL "address")
  set(_course_sanitize -fsanitize=address,undefined -fno-sanitize-recover=undefined)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 17)
    # clang before 17 cannot build coroutines with UBSan's "function" check (calls through a
    # function pointer of the wrong type): the prologue data it puts before each function ends
    # up in another section than the split-off coroutine parts, and the assembler stops with
    # "Cannot represent a difference across sections" (chapter 6's pipelines, clang 14).
    list(APPEND _course_sanitize -fno-sanitize=function)
  endif()
elseif(NOT COURSE_SANITIZER STREQUAL "")
  message(FATAL_ERROR "COURSE_SANITIZER must be empty, 'thread' or 'address', not '${COURSE_SANITIZER}'")
endif()
if(_course_sanitize)
  target_compile_options(course_sanitizers INTERFACE ${_course_sanitize} -fno-omit-frame-pointer)
  target_link_options(course_sanitizers INTERFACE ${_course_sanitize})
  # The support library scales deadlines and declines to judge speed under a sanitizer.
  target_compile_definitions(course_sanitizers INTERFACE COURSE_SANITIZER="${COURSE_SANITIZER}")
endif()
