# How a chapter becomes targets and tests.
#
# course_add_chapter(NN_name [USES library...] [TEST_USES library...] [MAY_CRASH demo...]) finds
# a chapter's files by convention, and links the libraries it uses (e.g. course::toy, the
# interpreter chapters 3 and 4 share) and those only its tests use (course::allocation_counter):
#   <tree>/NN_name/*.cpp *.hpp     the exercise files; <tree> is chapters/ (the student's) or
#                                  solutions/ (the reference), by COURSE_SOURCE_TREE
#   chapters/NN_name/given/        code given complete, built the same in both trees
#   chapters/NN_name/demos/*.cpp   runnable demos, one program each (build/demos/NN_name/;
#                                  none where COURSE_DEMOS is OFF)
#   tests/NN_name/*.cpp            the chapter's GoogleTest tests, graded by the rubric; a file
#                                  test_N_M_<what>.cpp holds the tests of exercise N.M
#   tests/NN_name/hidden/*.cpp     hidden tests: other inputs, left out of what students receive
#   tests/NN_name/rubric.toml      points per test (read by the grader, not by CMake)
# and makes:
#   chapterN                       a target that builds everything the chapter needs
#   ctest "chapterN.build"         builds that target: a compile error in one chapter fails this
#                                  test, with the compiler's message, and no other chapter's
#   ctest "chapterN.<Suite>.<Test>" one test per gtest test, labelled chapterN and graded
#   ctest "demos.NN_name.<demo>"   in the reference build (no sanitizer) only: each demo runs to
#                                  the end and exits 0, so a lesson never shows a broken demo.
#                                  Demos named after MAY_CRASH race on purpose: they only must end.
include_guard(GLOBAL)
include(GoogleTest)

# Every test process gets its own deadline from the support library's watchdog (5 s unless
# the test sets another). This ctest timeout is only a backstop for a watchdog that failed.
set(COURSE_CTEST_TIMEOUT 300)

# Registers a ctest test that builds `target`, as the fixture `name` that other tests
# require. Builds share one lock: two builds never run in one tree at once.
function(course_add_build_test name target)
  cmake_parse_arguments(ARG "" "" "LABELS" ${ARGN})
  add_test(NAME ${name}
           COMMAND ${CMAKE_COMMAND} --build ${CMAKE_BINARY_DIR} --target ${target})
  set_tests_properties(${name} PROPERTIES
    FIXTURES_SETUP ${name}
    RESOURCE_LOCK course_build_tree
    LABELS "${ARG_LABELS};build"
    TIMEOUT 1800)
endfunction()

# Registers each gtest test of `target` (found by scanning `sources`) as its own ctest test.
function(course_add_gtests target)
  cmake_parse_arguments(ARG "" "PREFIX;FIXTURE" "LABELS;SOURCES" ${ARGN})
  gtest_add_tests(TARGET ${target} SOURCES ${ARG_SOURCES}
                  TEST_PREFIX "${ARG_PREFIX}" TEST_LIST tests)
  if(tests)
    set_tests_properties(${tests} PROPERTIES
      LABELS "${ARG_LABELS}"
      FIXTURES_REQUIRED ${ARG_FIXTURE}
      TIMEOUT ${COURSE_CTEST_TIMEOUT}
      # A deadline and an escaped child fail the test by their exit codes (124, 125), after their
      # own messages; a FAIL_REGULAR_EXPRESSION would only add ctest's "Error regular expression
      # found" to them.
      SKIP_REGULAR_EXPRESSION "\\[  SKIPPED \\]")
    if(NOT COURSE_SANITIZER)
      # Timing assertions need a quiet machine: never run two tests at once, even under -j.
      # (Under a sanitizer timing is not judged, and the tests may run side by side.)
      set_tests_properties(${tests} PROPERTIES RUN_SERIAL TRUE)
    endif()
  endif()
endfunction()

# Runs each demo of a chapter in the reference build: it must end within a minute and, unless
# it is one of `may_crash`, exit 0.
function(course_add_demo_tests chapter dir demos may_crash)
  if(NOT COURSE_SOURCE_TREE STREQUAL "solutions" OR COURSE_SANITIZER)
    return()
  endif()
  foreach(demo IN LISTS demos)
    set(name demos.${dir}.${demo})
    if(demo IN_LIST may_crash)
      # Undefined behaviour on purpose: any ending will do, but it must end.
      add_test(NAME ${name} COMMAND sh -c "\"$0\" || true" $<TARGET_FILE:${chapter}_demo_${demo}>)
    else()
      add_test(NAME ${name} COMMAND ${chapter}_demo_${demo})
    endif()
    set_tests_properties(${name} PROPERTIES
      LABELS demos
      FIXTURES_REQUIRED ${chapter}.build
      TIMEOUT 60
      RUN_SERIAL TRUE)
  endforeach()
endfunction()

# What every test file of the chapters includes, precompiled once per test program.
set(COURSE_TEST_PCH <gtest/gtest.h> <fmt/format.h> <course/testing.hpp>)

# The code a test file stands on, found by following its quoted #includes ("users.hpp") through
# `search` (the folders of the chapter's tests, exercises and given code): every header it
# reaches, and for each header NAME.hpp of an exercise or given folder (`code_dirs`) its
# NAME.cpp, whose own includes are followed too. Sets `out_sources` to those .cpp files. (Read at
# configure time: an #include of another exercise added later is seen at the next configure —
# until then only the program of that exercise alone may fail to link.)
function(course_sources_used files code_dirs search out_sources)
  set(queue ${files})
  set(seen)
  set(sources)
  while(queue)
    list(POP_FRONT queue file)
    if(file IN_LIST seen)
      continue()
    endif()
    list(APPEND seen ${file})
    get_filename_component(stem ${file} NAME_WE)
    get_filename_component(folder ${file} DIRECTORY)
    if(folder IN_LIST code_dirs)
      if(file MATCHES "\\.hpp$" AND EXISTS ${folder}/${stem}.cpp)
        list(APPEND queue ${folder}/${stem}.cpp)
      elseif(file MATCHES "\\.cpp$")
        list(APPEND sources ${file})
      endif()
    endif()
    file(STRINGS ${file} includes REGEX "^[ \t]*#[ \t]*include[ \t]*\"[^\"]+\"")
    foreach(line IN LISTS includes)
      string(REGEX REPLACE "^[^\"]*\"([^\"]+)\".*$" "\\1" name "${line}")
      foreach(dir IN ITEMS ${folder} ${search})
        if(EXISTS ${dir}/${name} AND NOT IS_DIRECTORY ${dir}/${name})
          get_filename_component(found ${dir}/${name} ABSOLUTE)
          list(APPEND queue ${found})
          break()
        endif()
      endforeach()
    endforeach()
  endwhile()
  set(${out_sources} ${sources} PARENT_SCOPE)
endfunction()

# The chapter's test program, and a program per exercise (chapterN_tests_M, the tests of exercise
# N.M: test_N_M_*.cpp). The test files are compiled once, grouped by exercise into object
# libraries that both link. An exercise's program links only the exercise files its tests stand
# on (course_exercise_sources_used), so that it builds while another exercise does not compile:
# the grader builds them when the chapter does not, and grades each exercise that compiles. The
# mutant check (COURSE_EXERCISE_TEST_PROGRAMS: built with everything) grades a wrong solution of
# N.M in that program alone, which rebuilds less.
function(course_add_test_programs chapter dir test_sources usage source_objects code_dirs search
         test_uses)
  set(groups)
  foreach(source IN LISTS test_sources)
    get_filename_component(name ${source} NAME)
    if(NOT name MATCHES "^test_[0-9]+_([0-9]+)_")
      message(FATAL_ERROR "${source}: a test file is named test_N_M_<what>.cpp (exercise N.M)")
    endif()
    list(APPEND groups ${CMAKE_MATCH_1})
    list(APPEND sources_${CMAKE_MATCH_1} ${source})
  endforeach()
  list(REMOVE_DUPLICATES groups)
  set(all_objects)
  set(pch_from)
  if(COURSE_EXERCISE_TEST_PROGRAMS)
    set(exclude)
  else()
    set(exclude EXCLUDE_FROM_ALL)
  endif()
  foreach(group IN LISTS groups)
    set(objects ${chapter}_test_objects_${group})
    add_library(${objects} OBJECT ${sources_${group}})
    target_link_libraries(${objects} PUBLIC ${usage} course::testing)
    # What the tests use besides (course::allocation_counter is itself objects): its include
    # paths here, its objects in the programs.
    foreach(use IN LISTS test_uses)
      target_include_directories(${objects} PRIVATE $<TARGET_PROPERTY:${use},INTERFACE_INCLUDE_DIRECTORIES>)
    endforeach()
    # gtest and the support library are most of what a test file compiles: parse them once.
    if(pch_from)
      target_precompile_headers(${objects} REUSE_FROM ${pch_from})
    else()
      target_precompile_headers(${objects} PRIVATE ${COURSE_TEST_PCH})
      set(pch_from ${objects})
    endif()
    course_sources_used("${sources_${group}}" "${code_dirs}" "${search}" used)
    set(used_objects)
    foreach(source IN LISTS used)
      list(APPEND used_objects $<TARGET_OBJECTS:${${source}_objects}>)
    endforeach()
    add_executable(${chapter}_tests_${group} ${exclude} $<TARGET_OBJECTS:${objects}>
      ${used_objects})
    target_link_libraries(${chapter}_tests_${group} PRIVATE ${usage} course::testing ${test_uses})
    set_target_properties(${chapter}_tests_${group} PROPERTIES
      RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/${dir})
    list(APPEND all_objects $<TARGET_OBJECTS:${objects}>)
  endforeach()
  add_executable(${chapter}_tests ${all_objects} ${source_objects})
  target_link_libraries(${chapter}_tests PRIVATE ${usage} course::testing ${test_uses})
endfunction()

function(course_add_chapter dir)
  cmake_parse_arguments(ARG "" "" "USES;TEST_USES;MAY_CRASH" ${ARGN})
  if(NOT dir MATCHES "^([0-9][0-9])_[a-z0-9_]+$")
    message(FATAL_ERROR "A chapter folder is named NN_topic (e.g. 01_sync), not '${dir}'")
  endif()
  math(EXPR number "${CMAKE_MATCH_1}")
  set(chapter chapter${number})
  set(exercise_dir ${CMAKE_SOURCE_DIR}/${COURSE_SOURCE_TREE}/${dir})
  set(given_dir ${CMAKE_SOURCE_DIR}/chapters/${dir}/given)
  set(tests_dir ${CMAKE_SOURCE_DIR}/tests/${dir})
  if(NOT IS_DIRECTORY ${exercise_dir})
    message(FATAL_ERROR "Chapter ${number}: ${exercise_dir} is missing")
  endif()

  file(GLOB exercise_sources CONFIGURE_DEPENDS ${exercise_dir}/*.cpp)
  file(GLOB given_sources CONFIGURE_DEPENDS ${given_dir}/*.cpp)
  file(GLOB exercise_headers CONFIGURE_DEPENDS ${exercise_dir}/*.hpp ${given_dir}/*.hpp)
  # Hidden tests (tests/NN_name/hidden/: other inputs than the visible tests') are graded like the
  # others where they are; what students receive leaves the folder out.
  file(GLOB test_sources CONFIGURE_DEPENDS ${tests_dir}/*.cpp ${tests_dir}/hidden/*.cpp)
  set(demo_sources)
  if(COURSE_DEMOS)
    file(GLOB demo_sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/chapters/${dir}/demos/*.cpp)
  endif()

  # What compiling or linking the chapter's code takes: its folders, and the libraries it uses.
  set(usage ${chapter}_usage)
  add_library(${usage} INTERFACE ${exercise_headers})
  target_include_directories(${usage} INTERFACE ${exercise_dir} ${CMAKE_SOURCE_DIR}/chapters/common)
  if(IS_DIRECTORY ${given_dir})
    target_include_directories(${usage} INTERFACE ${given_dir})
  endif()
  target_link_libraries(${usage} INTERFACE
    fmt::fmt Threads::Threads course_warnings course_sanitizers ${ARG_USES})

  # Each exercise file and each given file is compiled once, as objects of its own (the test
  # programs of single exercises take only those they need).
  set(source_objects)
  foreach(source IN LISTS exercise_sources given_sources)
    get_filename_component(stem ${source} NAME_WE)
    if(source IN_LIST given_sources)
      set(${source}_objects ${chapter}_given_${stem})
    else()
      set(${source}_objects ${chapter}_source_${stem})
    endif()
    add_library(${${source}_objects} OBJECT ${source})
    target_link_libraries(${${source}_objects} PUBLIC ${usage})
    list(APPEND source_objects $<TARGET_OBJECTS:${${source}_objects}>)
  endforeach()

  # The exercises, as a library the demos link. Header-only chapters get an interface library;
  # their compile errors then show in the tests' build instead.
  set(exercises ${chapter}_exercises)
  if(source_objects)
    add_library(${exercises} STATIC ${source_objects})
  else()
    add_library(${exercises} INTERFACE)
  endif()
  target_link_libraries(${exercises} INTERFACE ${usage})

  course_add_test_programs(${chapter} ${dir} "${test_sources}" ${usage} "${source_objects}"
    "${exercise_dir};${given_dir}" "${tests_dir};${tests_dir}/hidden;${exercise_dir};${given_dir}"
    "${ARG_TEST_USES}")
  set_target_properties(${chapter}_tests PROPERTIES
    RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/${dir})

  set(demos)
  set(demo_names)
  foreach(demo_source IN LISTS demo_sources)
    get_filename_component(demo ${demo_source} NAME_WE)
    add_executable(${chapter}_demo_${demo} ${demo_source})
    target_link_libraries(${chapter}_demo_${demo} PRIVATE ${exercises})
    set_target_properties(${chapter}_demo_${demo} PROPERTIES
      OUTPUT_NAME ${demo}
      RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/demos/${dir})
    list(APPEND demos ${chapter}_demo_${demo})
    list(APPEND demo_names ${demo})
  endforeach()
  course_add_demo_tests(${chapter} ${dir} "${demo_names}" "${ARG_MAY_CRASH}")

  add_custom_target(${chapter} DEPENDS ${chapter}_tests ${demos})
  course_add_build_test(${chapter}.build ${chapter} LABELS ${chapter})
  course_add_gtests(${chapter}_tests SOURCES ${test_sources}
    PREFIX "${chapter}." FIXTURE ${chapter}.build LABELS "${chapter};graded")

  # What the grader needs to know about this chapter (see course_write_manifest).
  set_property(GLOBAL APPEND_STRING PROPERTY COURSE_MANIFEST_CHAPTERS
"
[[chapters]]
number = ${number}
folder = \"${dir}\"
target = \"${chapter}\"
tests = \"$<TARGET_FILE:${chapter}_tests>\"
rubric = \"${tests_dir}/rubric.toml\"
lesson = \"chapters/${dir}/README.md\"
")
endfunction()

# Writes build/course-manifest.toml: where the grader finds each chapter's build target,
# test program, rubric and lesson, and how this tree was configured.
function(course_write_manifest)
  get_property(chapters GLOBAL PROPERTY COURSE_MANIFEST_CHAPTERS)
  file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/course-manifest.toml CONTENT
"# Written by CMake (tools/cmake/CourseChapter.cmake) for the grader. Do not edit.
source_dir = \"${CMAKE_SOURCE_DIR}\"
build_dir = \"${CMAKE_BINARY_DIR}\"
source_tree = \"${COURSE_SOURCE_TREE}\"
sanitizer = \"${COURSE_SANITIZER}\"
build_type = \"${CMAKE_BUILD_TYPE}\"
compiler = \"${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION}\"
${chapters}")
endfunction()

# Makes plain `ctest` explain its failures: after every run, tools/ctest/explain-failures
# prints what each failed test said (the compiler's errors for a failed build, the assertion
# messages for a failed test), so nobody needs to know about --output-on-failure.
function(course_write_ctest_custom)
  file(WRITE ${CMAKE_BINARY_DIR}/CTestCustom.cmake
"# Written by CMake (tools/cmake/CourseChapter.cmake). Do not edit.
set(CTEST_CUSTOM_POST_TEST \"${CMAKE_SOURCE_DIR}/tools/ctest/explain-failures ${CMAKE_BINARY_DIR}/Testing/Temporary/LastTest.log\")
")
endfunction()
