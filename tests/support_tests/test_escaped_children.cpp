// A forked child that returns into the test instead of ending with _exit: it is stopped where it
// first reports anything, says so, and the test fails.
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <course/testing.hpp>

#include "escaped_children.hpp"
#include "misbehaving.hpp"

namespace {

using course::Ending;
using course::detail::kEscapedChildExitCode;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(EscapedChild, ItsFailedAssertionIsExplainedAndTheTestFails) {
  const auto run = run_misbehaving_test("Forks.AChildFailsAnAssertionOfTheTest");
  ASSERT_EQ(run.ending, Ending::exited) << run.output;
  EXPECT_EQ(run.exit_code, kEscapedChildExitCode) << run.output;
  EXPECT_THAT(run.output, HasSubstr("only the child gets 0 from fork"));
  EXPECT_THAT(run.output, HasSubstr("returned into the test instead of ending"));
  EXPECT_THAT(run.output, HasSubstr("[  ESCAPED ] test Forks.AChildFailsAnAssertionOfTheTest "
                                    "fails: 1 child process ("));
  EXPECT_THAT(run.output, Not(HasSubstr("[       OK ]"))) << run.output;
  EXPECT_THAT(run.output, Not(HasSubstr("[  FAILED  ]")))
      << "neither copy gets to gtest's summary: " << run.output;
}

TEST(EscapedChild, OneThatReachesTheTestsEndIsStoppedBeforeItsOk) {
  const auto run = run_misbehaving_test("Forks.AChildReachesTheEndOfTheTest");
  ASSERT_EQ(run.ending, Ending::exited) << run.output;
  EXPECT_EQ(run.exit_code, kEscapedChildExitCode) << run.output;
  EXPECT_THAT(run.output, HasSubstr("returned into the test instead of ending"));
  EXPECT_THAT(run.output, Not(HasSubstr("[       OK ]"))) << run.output;
}

TEST(EscapedChild, OneThatEndsWithExitInsteadOfUnderscoreExitFailsTheTest) {
  const auto run = run_misbehaving_test("Forks.AChildEndsWithExit");
  ASSERT_EQ(run.ending, Ending::exited) << run.output;
  EXPECT_EQ(run.exit_code, kEscapedChildExitCode) << run.output;
  EXPECT_THAT(run.output, HasSubstr("ended with exit() instead of _exit()"));
  EXPECT_THAT(run.output, HasSubstr("[  ESCAPED ] test Forks.AChildEndsWithExit fails: 1 child "
                                    "process ("));
}

TEST(EscapedChild, AChildThatExitsIsFine) {
  const auto run = run_misbehaving_test("Forks.AChildThatExits");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_THAT(run.output, HasSubstr("[       OK ] Forks.AChildThatExits"));
  EXPECT_THAT(run.output, Not(HasSubstr("ESCAPED")));
}

}  // namespace
