// The grader's look at exercise files before it builds them: places for the teacher to look at.
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "exercise_files.hpp"

namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::filesystem::path kSource = TEST_SOURCE_DIR;
const std::filesystem::path kSneaky = kSource / "fixtures" / "99_sneaky";

TEST(ForTheTeacher, ListsTheShortcutsOfAStudentWhoWantsThePointsWithoutTheWork) {
  const auto found = grader::for_the_teacher(kSneaky, 2, kSource);
  ASSERT_EQ(found.size(), 5U) << ::testing::PrintToString(found);
  EXPECT_THAT(found[0], HasSubstr("fixtures/99_sneaky/shortcuts.cpp:11: /proc/ — reads /proc"));
  EXPECT_THAT(found[1], HasSubstr("shortcuts.cpp:14: getenv( — reads the environment"));
  EXPECT_THAT(found[2], HasSubstr("shortcuts.cpp:19: kill( — sends a signal"));
  EXPECT_THAT(found[3], HasSubstr("shortcuts.cpp:20: _exit( — ends the program at once"));
  EXPECT_THAT(found[4], HasSubstr("shortcuts.cpp:24: fork( — starts a process"));
}

// Chapter 4 teaches fork, _exit and signals: there they are part of a right answer.
TEST(ForTheTeacher, LeavesOutWhatTheChapterTeaches) {
  const auto found = grader::for_the_teacher(kSneaky, 4, kSource);
  ASSERT_EQ(found.size(), 2U) << ::testing::PrintToString(found);
  EXPECT_THAT(found[0], HasSubstr(":11: /proc/"));
  EXPECT_THAT(found[1], HasSubstr(":14: getenv("));
}

}  // namespace
