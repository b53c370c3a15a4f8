// What a test program says when std::terminate ends it: an exception left a thread's function.
#include <csignal>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "misbehaving.hpp"

namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(Terminate, ExplainsAnExceptionThatLeftAThread) {
  const auto run = run_misbehaving_test("Terminates.WhenAnExceptionLeavesAThread");
  EXPECT_EQ(run.signal, SIGABRT) << run.output;
  EXPECT_THAT(run.output,
              HasSubstr("[ TERMINATE ] std::terminate was called (an exception: the worker "
                        "failed)"));
  EXPECT_THAT(run.output, HasSubstr("catch it in the thread"));
}

// On a skeleton, an exercise called on a thread the test started ends the test program: that
// says which exercise is missing, and gives no advice about threads, which may be fine.
TEST(Terminate, SaysWhichExerciseIsMissingWhenUnfinishedCodeRanOnAThread) {
  const auto run = run_misbehaving_test("Terminates.WhenUnfinishedCodeRunsOnAThread");
  EXPECT_EQ(run.signal, SIGABRT) << run.output;
  EXPECT_THAT(run.output, HasSubstr("[ TERMINATE ] exercise 2.3: MutexCounter::add is not "
                                    "implemented yet"));
  EXPECT_THAT(run.output, HasSubstr("[not implemented] exercise 2.3"))
      << "the grader and explain-failures look for this line";
  EXPECT_THAT(run.output, Not(HasSubstr("catch it in the thread")));
}

}  // namespace
