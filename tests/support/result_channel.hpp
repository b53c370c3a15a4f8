// Internal to the support library: main() installs the result channel through this.
//
// The grader does not take a test's verdict from what the test program prints — a student's code
// runs in that program and can print gtest's "[       OK ]" lines itself, then end. It gives
// the program a pipe of its own instead, as descriptor COURSE_RESULTS_FD, and this listener
// writes into it, a line each, what gtest itself saw:
//   start Suite.Test
//   end Suite.Test passed|failed|skipped
// The grader counts a test as passed only when this says so and the program then exited with 0.
#pragma once

namespace course::detail {

// The variable that names the descriptor, and the descriptor the grader gives it.
inline constexpr const char* kResultsFdVariable = "COURSE_RESULTS_FD";
inline constexpr int kResultsFd = 3;

// When COURSE_RESULTS_FD is set: takes the descriptor (close-on-exec from now on, and the
// variable unset, so that programs the tests start do not get it) and reports every test's
// start and end there from this process (not from a forked child).
void install_result_channel();

}  // namespace course::detail
