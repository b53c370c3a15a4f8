// main() for every test program of the course: gtest, plus the deadline watchdog, after a
// check of the environment the tests read.
#include <cstdio>

#include <gtest/gtest.h>

#include <course/time_scale.hpp>

#include "deadline_watchdog.hpp"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (const auto problem = course::time_scale_problem()) {
    std::fprintf(stderr, "error: %s\n", problem->c_str());
    return 2;
  }
  course::detail::install_deadline_watchdog();
  return RUN_ALL_TESTS();
}
