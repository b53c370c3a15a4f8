// The timing helpers: bounds, interleaved comparisons, speedup bars, and the skips.
#include <string>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <course/testing.hpp>

#include "misbehaving.hpp"

namespace {

using namespace std::chrono_literals;
using course::Millis;
using ::testing::HasSubstr;

TEST(Bounds, TookAtLeastIsExact) {
  EXPECT_TRUE(course::took_at_least(Millis(20), Millis(20)));
  EXPECT_TRUE(course::took_at_least(Millis(25), Millis(20)));
  const auto short_by_a_little = course::took_at_least(Millis(19.9), Millis(20));
  EXPECT_FALSE(short_by_a_little);
  EXPECT_THAT(short_by_a_little.message(),
              HasSubstr("took 19.9 ms, but it cannot take less than 20.0 ms"));
}

TEST(Bounds, TookAtMost) {
  EXPECT_TRUE(course::took_at_most(Millis(20), Millis(20)));
  const auto too_long = course::took_at_most(Millis(150), Millis(100));
  EXPECT_FALSE(too_long);
  EXPECT_THAT(too_long.message(), HasSubstr("took 150.0 ms, more than the 100.0 ms allowed"));
}

TEST(Bounds, GenerousIsOneAndAHalfTimesPlusSlack) {
  EXPECT_DOUBLE_EQ(course::generous(Millis(60)).count(), (60 * 1.5 + 25) * course::time_scale());
  EXPECT_LT(course::generous(Millis(50)), Millis(150) * course::time_scale())
      << "it still tells three 50 ms sleeps in a row from three at once";
}

TEST(Comparison, TakesTheBestOfEachAndTheirRatio) {
  const course::Comparison comparison{"sequential",
                                      "threads",
                                      {Millis(40), Millis(42), Millis(41)},
                                      {Millis(25), Millis(20), Millis(21)}};
  EXPECT_EQ(comparison.best_a(), Millis(40));
  EXPECT_EQ(comparison.best_b(), Millis(20));
  EXPECT_DOUBLE_EQ(comparison.speedup(), 2.0);
  EXPECT_EQ(
      comparison.describe(),
      "sequential: best 40.0 ms of 40.0 42.0 41.0 ms | threads: best 20.0 ms of 25.0 20.0 21.0 "
      "ms | threads is 2.00× as fast");
}

TEST(Comparison, RunsTheVariantsInterleaved) {
  std::string order;
  const auto comparison = course::compare_interleaved(
      "a", [&order] { order += 'A'; }, "b", [&order] { order += 'B'; }, 5);
  EXPECT_EQ(order, "ABABABABAB");
  EXPECT_EQ(comparison.samples_a.size(), 5U);
  EXPECT_EQ(comparison.samples_b.size(), 5U);
}

TEST(Comparison, MeasuresWhatRuns) {
  // Sleeps: 10 ms against 2 ms is 5×; scheduling noise only lengthens sleeps, and the best of
  // five of the short one stays well under 5 ms even on a busy machine.
  const auto comparison = course::compare_interleaved(
      "long", [] { std::this_thread::sleep_for(course::scaled(10ms)); }, "short",
      [] { std::this_thread::sleep_for(course::scaled(2ms)); });
  EXPECT_GE(comparison.best_a(), course::scaled(10ms));
  EXPECT_GE(comparison.speedup(), 2.0) << comparison.describe();
}

TEST(SpeedupBar, ScalesWithTheCoresPresent) {
  const unsigned cores = course::usable_cores();
  EXPECT_DOUBLE_EQ(course::speedup_bar(1), 1.0) << "one worker promises no speedup";
  EXPECT_DOUBLE_EQ(course::speedup_bar(2), cores >= 2 ? 1.25 : 1.0);
  EXPECT_DOUBLE_EQ(course::speedup_bar(1000), 1 + (cores - 1) * 0.25)
      << "workers beyond the cores add nothing";
  EXPECT_DOUBLE_EQ(course::speedup_bar(2, 0.5), cores >= 2 ? 1.5 : 1.0);
}

TEST(SpeedupBar, PassesAndFailsWithTheFigures) {
  const course::Comparison twice_as_fast{"sequential", "threads", {Millis(40)}, {Millis(20)}};
  EXPECT_TRUE(course::speedup_at_least(twice_as_fast, 1.5));
  const auto short_of_the_bar = course::speedup_at_least(twice_as_fast, 2.5);
  EXPECT_FALSE(short_of_the_bar);
  EXPECT_THAT(short_of_the_bar.message(), HasSubstr("threads ran 2.00× as fast as sequential"));
  EXPECT_THAT(short_of_the_bar.message(), HasSubstr("it must reach 2.50×"));
  EXPECT_TRUE(course::speedup_at_most(twice_as_fast, 2.0));
  const auto above_the_ceiling = course::speedup_at_most(twice_as_fast, 1.2);
  EXPECT_FALSE(above_the_ceiling);
  EXPECT_THAT(above_the_ceiling.message(), HasSubstr("more than the 1.20× expected"));
}

TEST(Cores, MissingCoresSaysHowManyAreNeededAndPresent) {
  EXPECT_EQ(course::missing_cores(1), std::nullopt) << "every machine has one";
  const unsigned present = course::usable_cores();
  EXPECT_EQ(course::missing_cores(present + 1), "needs " + std::to_string(present + 1) +
                                                    " cores, this machine has " +
                                                    std::to_string(present));
}

TEST(Cores, ATestThatNeedsMoreCoresIsSkippedWithTheReason) {
  const auto run = run_misbehaving_test("Skips.NeedsTooManyCores");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_THAT(run.output, HasSubstr("needs 100000 cores, this machine has"));
  EXPECT_THAT(run.output, HasSubstr("[  SKIPPED ] Skips.NeedsTooManyCores"));
}

TEST(Cores, UsableCoresIsWithinTheHardware) {
  EXPECT_GE(course::usable_cores(), 1U);
  EXPECT_LE(course::usable_cores(), std::max(1U, std::thread::hardware_concurrency()));
}

TEST(Speed, IsJudgedOnlyWithoutASanitizer) {
  if (course::sanitizer().empty()) {
    EXPECT_EQ(course::speed_untrusted(), std::nullopt);
  } else {
    ASSERT_TRUE(course::speed_untrusted().has_value());
    EXPECT_THAT(*course::speed_untrusted(), HasSubstr("speed is not judged under"));
  }
}

}  // namespace
