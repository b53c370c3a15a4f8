// Exercise 2.8: I/O-bound threads overlap, however few the cores.
#include <algorithm>
#include <numeric>
#include <vector>

#include <gtest/gtest.h>

#include <course/testing.hpp>

#include "io_threads.hpp"

namespace {

using namespace std::chrono_literals;
using threads::Clock;
using threads::IoRun;
using threads::sleep_on_threads;

Clock::duration sum_of(const IoRun& run) {
  return std::accumulate(run.each.begin(), run.each.end(), Clock::duration::zero());
}

// The notebooks: T1 sleeps 1 unit, T2 sleeps 2 units; on threads it all takes 2 units, not 3.
// Sleeps that do not overlap take at least the sum of their own times, exactly; so a total
// below that sum proves they overlapped, and the margin (a quarter of the short sleep) is for a
// busy machine, where a thread may start a few tens of ms late (measured on a shared 2-core
// machine: 200.3–200.5 ms in 20 runs idle, 200.3–204.0 ms in 10 beside a busy process).
TEST(SleepOnThreads, TheNotebooksOneAndTwoUnitsTakeTwo) {
  const auto unit = course::scaled(100ms);
  const std::vector<Clock::duration> sleeps{unit, 2 * unit};
  const IoRun run = sleep_on_threads(sleeps);
  ASSERT_EQ(run.each.size(), 2U) << "one time per sleep, in the order of the sleeps";
  EXPECT_TRUE(course::took_at_least(run.each[0], unit)) << "thread 1 sleeps 1 unit";
  EXPECT_TRUE(course::took_at_least(run.each[1], 2 * unit)) << "thread 2 sleeps 2 units";
  course::record_figure("total", course::format_millis(run.total),
                        "≥ " + course::format_millis(2 * unit) + " and < " +
                            course::format_millis(sum_of(run) - unit / 4));
  EXPECT_TRUE(course::took_at_least(run.total, 2 * unit))
      << "the total covers the longest sleep: measure it after every sleeper is joined";
  EXPECT_TRUE(course::took_at_most(run.total, sum_of(run) - unit / 4))
      << "the sleeps must overlap: 1 + 2 units one after another take 3 units ("
      << course::format_millis(sum_of(run)) << " here); together, 2";
}

// Twelve sleeping threads on a machine of a couple of cores: a thread that sleeps needs no CPU.
// (Measured: 50.5–51.6 ms idle, 50.7–54.5 ms beside a busy process; the bound is 150 ms.)
TEST(SleepOnThreads, MoreSleepersThanCoresStillOverlap) {
  const auto nap = course::scaled(50ms);
  const std::vector<Clock::duration> sleeps(12, nap);
  const IoRun run = sleep_on_threads(sleeps);
  ASSERT_EQ(run.each.size(), sleeps.size());
  course::record_figure(
      "total", course::format_millis(run.total),
      "≥ " + course::format_millis(nap) + " and < " + course::format_millis(sum_of(run) / 4));
  // A total measured before the joins takes almost nothing: it must cover a sleep.
  EXPECT_TRUE(course::took_at_least(run.total, nap))
      << "the total covers the sleeps: measure it after every sleeper is joined";
  EXPECT_TRUE(course::took_at_most(run.total, sum_of(run) / 4))
      << "12 sleeps of " << course::format_millis(nap) << " take "
      << course::format_millis(sum_of(run)) << " one after another, about one sleep together: "
      << "sleeping threads do not need a core each";
}

TEST(SleepOnThreads, HandlesNoSleeps) {
  const auto run = sleep_on_threads({});
  EXPECT_TRUE(run.each.empty());
}

}  // namespace
