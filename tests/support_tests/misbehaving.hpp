// Runs one test of misbehaving_tests.cpp in a process of its own, as ctest and the grader do.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "process.hpp"

inline grader::ProcessResult run_misbehaving_test(
    const std::string& name, std::vector<std::pair<std::string, std::string>> environment = {}) {
  grader::ProcessRequest request;
  request.argv = {MISBEHAVING_TESTS, "--gtest_filter=" + name};
  request.environment = std::move(environment);
  request.deadline = std::chrono::seconds(60);
  return grader::run_process(request);
}
