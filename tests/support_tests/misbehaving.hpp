// Runs one test of misbehaving_tests.cpp in a process of its own, as ctest and the grader do.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <course/run_process.hpp>

// gdb's backtraces are off unless `environment` turns them on: they take a second or two.
inline course::ProcessResult run_misbehaving_test(
    const std::string& name, std::vector<std::pair<std::string, std::string>> environment = {}) {
  course::ProcessRequest request;
  request.argv = {MISBEHAVING_TESTS, "--gtest_filter=" + name};
  request.environment = {{"COURSE_BACKTRACE", "off"}};
  request.environment.insert(request.environment.end(), environment.begin(), environment.end());
  request.deadline = std::chrono::seconds(60);
  return course::run_process(request);
}
