// record_figure: printed for the grader, recorded as a gtest property.
#include <string>

#include <gtest/gtest.h>

#include <course/testing.hpp>

namespace {

std::string property(const std::string& key) {
  const auto* result = ::testing::UnitTest::GetInstance()->current_test_info()->result();
  for (int i = 0; i < result->test_property_count(); ++i) {
    if (result->GetTestProperty(i).key() == key) return result->GetTestProperty(i).value();
  }
  return "(none)";
}

TEST(RecordFigure, PrintsTheFigureAndItsRequirement) {
  ::testing::internal::CaptureStdout();
  course::record_figure("speedup", "1.86×", "≥ 1.25× on 2 cores");
  EXPECT_EQ(::testing::internal::GetCapturedStdout(),
            "[   FIGURE ] speedup = 1.86× (needs ≥ 1.25× on 2 cores)\n");
  EXPECT_EQ(property("course.figure.speedup"), "1.86×");
  EXPECT_EQ(property("course.figure.speedup.requirement"), "≥ 1.25× on 2 cores");
}

TEST(RecordFigure, WorksWithoutARequirement) {
  ::testing::internal::CaptureStdout();
  course::record_figure("elapsed", "61.2 ms");
  EXPECT_EQ(::testing::internal::GetCapturedStdout(), "[   FIGURE ] elapsed = 61.2 ms\n");
  EXPECT_EQ(property("course.figure.elapsed"), "61.2 ms");
}

TEST(RecordFigure, SaysWhenAFigureIsNotJudged) {
  ::testing::internal::CaptureStdout();
  course::record_unjudged("speedup", "1.05×", "the machine was busy");
  EXPECT_EQ(::testing::internal::GetCapturedStdout(),
            "[   FIGURE ] speedup = 1.05× (not judged: the machine was busy)\n");
  EXPECT_EQ(property("course.figure.speedup.not_judged"), "the machine was busy");
}

}  // namespace
