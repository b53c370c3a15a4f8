// The deadline watchdog stops a stuck test within its deadline, names it, and lets a test that
// finishes in time pass.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <course/testing.hpp>

#include "misbehaving.hpp"

namespace {

using namespace std::chrono_literals;
using course::Ending;
using ::testing::HasSubstr;
using ::testing::Not;

// A stuck test must end no later than its deadline plus this (starting the process, printing).
const course::Millis kSlack = course::stretched(1500ms);

TEST(Deadline, StopsATestThatJoinsAThreadThatNeverEnds) {
  const auto run = run_misbehaving_test("Stuck.JoinsAThreadThatNeverEnds");
  ASSERT_EQ(run.ending, Ending::exited) << run.output;
  EXPECT_EQ(run.exit_code, course::kDeadlineExitCode) << run.output;
  EXPECT_THAT(
      run.output,
      HasSubstr("[  DEADLINE ] test Stuck.JoinsAThreadThatNeverEnds did not finish within " +
                course::format_millis(course::stretched(300ms))));
  EXPECT_THAT(run.output, HasSubstr("note: the worker waits for a promise"))
      << "the test's notes are printed";
  EXPECT_GE(run.elapsed, course::stretched(300ms)) << "not before its deadline";
  EXPECT_LE(run.elapsed, course::stretched(300ms) + kSlack) << run.output;
}

// Killing the test's children at the deadline ends the test's wait for them: the test's thread
// then races to "[ OK ]" and exit 0. It must lose every time (it won 5 of 7 in a review).
TEST(Deadline, AWaitThatTheKilledChildrenEndDoesNotPass) {
  course::set_deadline(30'000ms);
  for (int run = 0; run < 3; ++run) {
    const auto result = run_misbehaving_test("Stuck.WaitsForAChildThatNeverEnds");
    EXPECT_EQ(result.exit_code, course::kDeadlineExitCode) << result.output;
    EXPECT_THAT(result.output, HasSubstr("(1 child process of the test killed)"));
    EXPECT_THAT(result.output, Not(HasSubstr("[       OK ]"))) << result.output;
  }
}

TEST(Deadline, StopsATestThatSpinsForever) {
  const auto run = run_misbehaving_test("Stuck.SpinsForever");
  EXPECT_EQ(run.exit_code, course::kDeadlineExitCode) << run.output;
  EXPECT_THAT(run.output, HasSubstr("test Stuck.SpinsForever did not finish"));
  EXPECT_LE(run.elapsed, course::stretched(300ms) + kSlack);
}

TEST(Deadline, StillEndsTheTestWhenANoteBlocks) {
  const auto run = run_misbehaving_test("Stuck.LeavesANoteThatBlocks");
  EXPECT_EQ(run.exit_code, course::kDeadlineExitCode) << run.output;
  EXPECT_THAT(run.output, HasSubstr("the notes did not finish"));
  EXPECT_THAT(run.output, Not(HasSubstr("never printed")));
  EXPECT_LE(run.elapsed, course::stretched(300ms) + 1s + kSlack) << "the notes get one second";
}

TEST(Deadline, PrintsANoteOnlyWhileItLasts) {
  const auto run = run_misbehaving_test("Stuck.AfterItsNoteIsGone");
  EXPECT_EQ(run.exit_code, course::kDeadlineExitCode) << run.output;
  EXPECT_THAT(run.output, Not(HasSubstr("printed only while its scope lasts")));
}

TEST(Deadline, LetsATestThatFinishesInTimePass) {
  const auto run = run_misbehaving_test("Stuck.FinishesInTime");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_THAT(run.output, Not(HasSubstr("DEADLINE")));
}

TEST(Deadline, GuardsTheExitAfterTheLastTest) {
  // COURSE_TIME_SCALE=0.1 makes the default 5 s deadline half a second.
  const auto run =
      run_misbehaving_test("Stuck.HangsTheExitAfterPassing", {{"COURSE_TIME_SCALE", "0.1"}});
  EXPECT_THAT(run.output, HasSubstr("[       OK ] Stuck.HangsTheExitAfterPassing"));
  EXPECT_EQ(run.exit_code, course::kDeadlineExitCode) << run.output;
  EXPECT_THAT(run.output, HasSubstr("the test program, after its last test, did not finish"));
}

TEST(Deadline, IsStretchedByTheTimeScale) {
  const auto run = run_misbehaving_test("Stuck.SpinsForever", {{"COURSE_TIME_SCALE", "2"}});
  EXPECT_THAT(run.output,
              HasSubstr("did not finish within " +
                        course::format_millis(course::stretched(600ms) / course::time_scale())))
      << "COURSE_TIME_SCALE=2 doubles the 300 ms the test asked for";
  EXPECT_THAT(run.output, HasSubstr("(COURSE_TIME_SCALE=2)"));
}

}  // namespace
