// COURSE_TIME_SCALE: read, checked, and applied to durations.
#include <cstdlib>
#include <optional>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <course/testing.hpp>

#include "misbehaving.hpp"

namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

// Sets COURSE_TIME_SCALE for one scope, then puts back what was there.
class ScopedTimeScale {
 public:
  explicit ScopedTimeScale(const char* value) {
    if (const char* old = std::getenv("COURSE_TIME_SCALE")) old_ = old;
    ::setenv("COURSE_TIME_SCALE", value, 1);
  }
  ScopedTimeScale(const ScopedTimeScale&) = delete;
  ScopedTimeScale& operator=(const ScopedTimeScale&) = delete;
  ~ScopedTimeScale() {
    if (old_) {
      ::setenv("COURSE_TIME_SCALE", old_->c_str(), 1);
    } else {
      ::unsetenv("COURSE_TIME_SCALE");
    }
  }

 private:
  std::optional<std::string> old_;
};

TEST(TimeScale, AcceptsPositiveNumbers) {
  for (const char* good : {"1", "2.5", "0.1", "100", ""}) {
    const ScopedTimeScale scale(good);
    EXPECT_EQ(course::time_scale_problem(), std::nullopt) << "COURSE_TIME_SCALE=" << good;
  }
}

TEST(TimeScale, RejectsWhatIsNotAPositiveNumber) {
  for (const char* bad : {"abc", "0", "-1", "2x", "1e9", "nan", "inf"}) {
    const ScopedTimeScale scale(bad);
    const auto problem = course::time_scale_problem();
    ASSERT_TRUE(problem.has_value()) << "COURSE_TIME_SCALE=" << bad << " must be refused";
    EXPECT_THAT(*problem, HasSubstr(std::string("'") + bad + "'")) << "the message quotes it";
  }
}

TEST(TimeScale, TestProgramsRefuseABadValue) {
  const auto run = run_misbehaving_test("Stuck.FinishesInTime", {{"COURSE_TIME_SCALE", "fast"}});
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_THAT(run.output, HasSubstr("error: COURSE_TIME_SCALE is 'fast'"));
  EXPECT_THAT(run.output, ::testing::Not(HasSubstr("[ RUN      ]"))) << "no test runs";
}

TEST(TimeScale, ScalesDurations) {
  EXPECT_EQ(course::scaled(20ms), std::chrono::duration_cast<std::chrono::nanoseconds>(
                                      course::Millis(20) * course::time_scale()));
}

TEST(FormatMillis, WritesMillisecondsWithOneDecimal) {
  EXPECT_EQ(course::format_millis(course::Millis(20.04)), "20.0 ms");
  EXPECT_EQ(course::format_millis(course::Millis(0.26)), "0.3 ms");
  EXPECT_EQ(course::format_millis(course::Millis(999.94)), "999.9 ms");
  EXPECT_EQ(course::format_millis(course::Millis(5000)), "5.00 s") << "from a second on, seconds";
  EXPECT_EQ(course::format_millis(course::Millis(12345)), "12.35 s");
}

}  // namespace
