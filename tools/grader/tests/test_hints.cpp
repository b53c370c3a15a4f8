// Hints read from a lesson's <details> blocks (tools/grade --hint).
#include <gtest/gtest.h>

#include "hints.hpp"

namespace {

const std::filesystem::path kLesson =
    std::filesystem::path(TEST_SOURCE_DIR) / "fixtures" / "lesson_with_hints.md";

TEST(Hints, AreTheDetailsBlocksOfTheExercisesSection) {
  const auto one = grader::read_hints(kLesson, "9.1");
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(one->heading, "Exercise 9.1 — `first`: one hint (`first.cpp`)");
  EXPECT_EQ(one->line, 3);
  ASSERT_EQ(one->hints.size(), 1U);
  EXPECT_EQ(one->hints[0].title, "Hint");
  EXPECT_EQ(one->hints[0].text, "Call `first()` before `second()`.");
}

TEST(Hints, KeepTheirOrderAndSubsectionsBelongToTheExercise) {
  const auto two = grader::read_hints(kLesson, "9.2");
  ASSERT_TRUE(two.has_value());
  ASSERT_EQ(two->hints.size(), 2U);
  EXPECT_EQ(two->hints[0].title, "Hint 1: the idea");
  EXPECT_EQ(two->hints[1].title, "Hint 2: the shape");
  EXPECT_EQ(two->hints[1].text, "```cpp\nstd::deque<int> waiting;\n```");
}

TEST(Hints, AnExerciseWithoutAHintOrASectionHasNone) {
  const auto three = grader::read_hints(kLesson, "9.3");
  ASSERT_TRUE(three.has_value()) << "9.30 is not 9.3";
  EXPECT_TRUE(three->hints.empty());
  EXPECT_FALSE(grader::read_hints(kLesson, "9.4").has_value());
  EXPECT_THROW(grader::read_hints(kLesson.parent_path() / "missing.md", "9.1"), std::runtime_error);
}

}  // namespace
