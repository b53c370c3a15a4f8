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
elseif(NOT COURSE_SANITIZER STREQUAL "")
  message(FATAL_ERROR "COURSE_SANITIZER must be empty, 'thread' or 'address', not '${COURSE_SANITIZER}'")
endif()
if(_course_sanitize)
  target_compile_options(course_sanitizers INTERFACE ${_course_sanitize} -fno-omit-frame-pointer)
  target_link_options(course_sanitizers INTERFACE ${_course_sanitize})
  # The support library scales deadlines and declines to judge speed under a sanitizer.
  target_compile_definitions(course_sanitizers INTERFACE COURSE_SANITIZER="${COURSE_SANITIZER}")
endif()
