// The timing helpers: bounds, interleaved comparisons, speedup bars, and the skips.
#include <csignal>
#include <fstream>
#include <string>
#include <thread>

#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

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

// How many CPUs the calling thread may run on.
int allowed_cpus() {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  EXPECT_EQ(sched_getaffinity(0, sizeof allowed, &allowed), 0);
  return CPU_COUNT(&allowed);
}

TEST(Cores, APinnedThreadRunsOnlyOnItsCpu) {
  const int before = allowed_cpus();
  // In a thread of its own: pinning changes only the thread that asks.
  std::thread([&] {
    for (int index = 0; index < before; ++index) {
      ASSERT_TRUE(course::pin_this_thread_to_cpu(static_cast<unsigned>(index)));
      EXPECT_EQ(allowed_cpus(), 1) << "pinned to the CPU number " << index;
    }
  }).join();
  EXPECT_EQ(allowed_cpus(), before) << "the main thread may still run on every CPU";
}

TEST(Cores, APinnedThreadGetsItsCpusBackAtTheEndOfTheScope) {
  const int before = allowed_cpus();
  std::thread([&] {
    {
      const course::PinnedThread pinned(1);
      ASSERT_TRUE(pinned.pinned());
      EXPECT_EQ(allowed_cpus(), 1);
    }
    EXPECT_EQ(allowed_cpus(), before) << "unpinned again";
  }).join();
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

namespace {

TEST(MeasureUntil, StopsAtTheFirstMeasurementThatPasses) {
  int calls = 0;
  const int result = course::measure_until(
      5, [&calls] { return ++calls; }, [](int n) { return n == 3; });
  EXPECT_EQ(result, 3);
  EXPECT_EQ(calls, 3) << "no measurement after the one that passed";
}

TEST(MeasureUntil, GivesUpAfterItsAttempts) {
  int calls = 0;
  const int result = course::measure_until(
      4, [&calls] { return ++calls; }, [](int) { return false; });
  EXPECT_EQ(result, 4) << "the last measurement";
  EXPECT_EQ(calls, 4);
}

void spin_for(std::chrono::milliseconds wall) {
  const auto end = std::chrono::steady_clock::now() + wall;
  volatile unsigned sink = 0;
  while (std::chrono::steady_clock::now() < end) sink = sink + 1;
}

TEST(CpuParallelism, OneThreadNeverExceedsOne) {
  const double one = course::cpu_parallelism([] { spin_for(std::chrono::milliseconds(30)); });
  EXPECT_LE(one, 1.02) << "one thread at a time cannot use more than one core";
  EXPECT_GT(one, 0.0);
  const double sleeping =
      course::cpu_parallelism([] { std::this_thread::sleep_for(std::chrono::milliseconds(30)); });
  EXPECT_LT(sleeping, 0.1) << "a sleeping thread uses no CPU";
}

TEST(CpuParallelism, SeesThreadsRunningAtOnce) {
  COURSE_REQUIRE_CORES(2);
  // Best of five runs, up to three times: a busy machine can hold one core back for a while.
  const auto best_of_five = [] {
    double best = 0;
    for (int run = 0; run < 5; ++run) {
      best = std::max(best, course::cpu_parallelism([] {
                        std::jthread other([] { spin_for(std::chrono::milliseconds(30)); });
                        spin_for(std::chrono::milliseconds(30));
                      }));
    }
    return best;
  };
  double two = 0;
  const double others = course::other_load_during([&] {
    two = course::measure_until(3, best_of_five, [](double best) { return best > 1.1; });
  });
  // Beside busy processes (a build on both cores) the two threads can share one core for the
  // whole measurement (0.76 seen): the chapters' tests do not judge parallelism then either.
  if (const auto busy = course::too_busy_for_speedup(others)) GTEST_SKIP() << *busy;
  EXPECT_GT(two, 1.1) << "two spinning threads on two cores use more than one core's worth";
}

}  // namespace

namespace {

TEST(OtherLoad, IsLowWhileOnlyThisProcessWorks) {
  const double load = course::other_load_during([] { spin_for(std::chrono::milliseconds(200)); });
  if (load < 0) GTEST_SKIP() << "/proc/stat cannot be read here";
  EXPECT_GE(load, 0.0);
  EXPECT_LE(load, static_cast<double>(course::usable_cores()));
}

bool proc_stat_readable() {
  return std::ifstream("/proc/stat").good();
}

TEST(OtherLoad, WatchesAShortMomentFor100Milliseconds) {
  if (!proc_stat_readable()) GTEST_SKIP() << "/proc/stat cannot be read here";
  double load = -1;
  const Millis elapsed = course::time_once([&] { load = course::other_load_during([] {}); });
  EXPECT_GE(load, 0.0);
  EXPECT_TRUE(course::took_at_least(elapsed, 100ms)) << "/proc/stat counts in 10 ms ticks";
}

// A busy process beside a moment too short to measure (chapter 3's turn-taking runs take 30 ms)
// is still seen: the window is stretched to 100 ms, this process idle in the rest. Whatever else
// the machine runs only adds to the figure.
TEST(OtherLoad, SeesABusyProcessBesideAShortMoment) {
  if (!proc_stat_readable()) GTEST_SKIP() << "/proc/stat cannot be read here";
  const pid_t spinner = fork();
  ASSERT_GE(spinner, 0) << "fork failed";
  if (spinner == 0) {
    spin_for(2000ms);
    _exit(0);
  }
  const double load = course::other_load_during([] { spin_for(5ms); });
  kill(spinner, SIGKILL);
  waitpid(spinner, nullptr, 0);
  EXPECT_GE(load, 0.5) << "a process spinning on a core takes about one core's worth";
}

TEST(TooBusyForSpeedup, JudgesUnlessOthersUseHalfACore) {
  EXPECT_EQ(course::too_busy_for_speedup(0.1), std::nullopt);
  EXPECT_EQ(course::too_busy_for_speedup(-1), std::nullopt) << "unknown load: judged";
  ASSERT_TRUE(course::too_busy_for_speedup(1.2).has_value());
  EXPECT_THAT(*course::too_busy_for_speedup(1.2), HasSubstr("other processes kept 1.2 of"));
}

}  // namespace
