// main() for every test program of the course: gtest, plus the deadline watchdog and the
// escaped-child guard, after a check of the environment the tests read.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include <sys/prctl.h>

#include <gtest/gtest.h>

#include <course/not_implemented.hpp>
#include <course/time_scale.hpp>

#include "deadline_watchdog.hpp"
#include "escaped_children.hpp"
#include "result_channel.hpp"
#include "trace.hpp"

namespace {

// std::terminate's message, with the usual reason why a test program calls it.
[[noreturn]] void explain_terminate() {
  std::string exception = "no exception";
  if (const auto current = std::current_exception()) {
    try {
      std::rethrow_exception(current);
    } catch (const course::NotImplemented& missing) {
      // Unfinished code called on a thread the test started: nothing is wrong with the
      // student's threads, the exercise is only not done yet.
      std::fprintf(stderr,
                   "[ TERMINATE ] %s\n"
                   "[ TERMINATE ] (thrown on a thread the test started, so it ended the test "
                   "program)\n",
                   missing.what());
      std::abort();
    } catch (const std::exception& error) {
      exception = std::string("an exception: ") + error.what();
    } catch (...) {
      exception = "an exception that is not a std::exception";
    }
  }
  std::fprintf(
      stderr,
      "[ TERMINATE ] std::terminate was called (%s). Usually either:\n"
      "[ TERMINATE ] - an exception left a thread's function: catch it in the thread\n"
      "[ TERMINATE ]   (std::current_exception) and rethrow it where the thread is joined;\n"
      "[ TERMINATE ] - or a std::thread was destroyed while still joinable: join it first,\n"
      "[ TERMINATE ]   or use std::jthread.\n",
      exception.c_str());
  std::abort();
}

}  // namespace

int main(int argc, char** argv) {
  std::set_terminate(explain_terminate);
  // A process the tests start and abandon comes back to this program, where the tests see it
  // (course/children.hpp) and the deadline kills it.
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  ::testing::InitGoogleTest(&argc, argv);
  if (const auto problem = course::time_scale_problem()) {
    std::fprintf(stderr, "error: %s\n", problem->c_str());
    return 2;
  }
  // First: at a test's end, listeners run last-added first, so the test's end is reported after
  // the watchdog has stopped its deadline and the guard has failed a test a child escaped into.
  course::detail::install_result_channel();
  // Before the watchdog: a failed test's trace is written after its deadline has stopped, and
  // before its end is reported.
  course::detail::install_trace_writer();
  course::detail::install_deadline_watchdog();
  // After the watchdog: a child that escaped into the test must be stopped before the
  // watchdog's listener touches its lock.
  course::detail::install_escaped_child_guard();
  return RUN_ALL_TESTS();
}
