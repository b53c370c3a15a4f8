// What a test program says when it crashes while a CrashNote is in scope: the note, then the
// signal's usual ending (its exit status is still the signal's).
#include <csignal>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <course/sanitizer.hpp>

#include "misbehaving.hpp"

namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(CrashNote, IsWrittenWhenTheProcessCrashesInItsScope) {
  const auto run = run_misbehaving_test("Crashes.WhileItsNoteIsInScope");
  EXPECT_EQ(run.signal, SIGABRT) << run.output;
  EXPECT_THAT(run.output,
              HasSubstr("[  CRASHED ] the objects were destroyed twice: the note says why\n"));
  EXPECT_THAT(run.output, Not(HasSubstr("the outer note"))) << "the innermost note speaks";
}

TEST(CrashNote, IsWrittenWhenTheStackOverflows) {
  const auto run = run_misbehaving_test("Crashes.WithAStackOverflowInItsNotesScope");
  // Under a sanitizer the signal then goes to the sanitizer's handler, which reports and exits
  // in its own way; elsewhere the process dies of the signal.
  if (course::sanitizer().empty()) {
    EXPECT_EQ(run.signal, SIGSEGV) << run.output;
  }
  EXPECT_THAT(run.output, HasSubstr("[  CRASHED ] the stack overflowed: the note is still told\n"))
      << "the handler runs on a stack of its own";
}

TEST(CrashNote, IsGoneAfterItsScope) {
  const auto run = run_misbehaving_test("Crashes.AfterItsNoteIsGone");
  EXPECT_EQ(run.signal, SIGABRT) << run.output;
  EXPECT_THAT(run.output, Not(HasSubstr("[  CRASHED ]")));
}

}  // namespace
