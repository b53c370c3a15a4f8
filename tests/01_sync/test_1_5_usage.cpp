// Exercise 1.5: CPU-bound or I/O-bound? Wall-clock time against CPU time.
#include <algorithm>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <course/testing.hpp>

#include "usage.hpp"

namespace {

using namespace std::chrono_literals;
using synchronous::Bound;
using synchronous::classify;
using synchronous::measure_usage;
using synchronous::Usage;

std::string describe(const Usage& usage) {
  return fmt::format("wall {}, cpu {}", course::format_millis(usage.wall),
                     course::format_millis(usage.cpu));
}

// Keeps a CPU busy for `wall` of wall-clock time.
void spin_for(std::chrono::nanoseconds wall) {
  const auto end = std::chrono::steady_clock::now() + wall;
  volatile unsigned sink = 0;
  while (std::chrono::steady_clock::now() < end) {
    for (unsigned i = 0; i < 1000; ++i) sink = sink + i;
  }
}

// The best of five measurements of busy work: on a shared machine another process may take
// the CPU away now and then, but not in every one of five runs.
Usage best_busy_usage() {
  Usage best{};
  double best_share = -1;
  for (int run = 0; run < 5; ++run) {
    const Usage usage = measure_usage([] { spin_for(course::scaled(20ms)); });
    const double share = course::Millis(usage.cpu) / course::Millis(usage.wall);
    if (share > best_share) {
      best_share = share;
      best = usage;
    }
  }
  return best;
}

TEST(MeasureUsage, SleepingUsesNoCpu) {
  const auto nap = course::scaled(30ms);
  const Usage usage = measure_usage([nap] { std::this_thread::sleep_for(nap); });
  EXPECT_TRUE(course::took_at_least(usage.wall, nap)) << "wall-clock time includes the sleep";
  EXPECT_LT(usage.cpu, usage.wall / 4)
      << "a sleeping thread is not on a CPU, yet " << describe(usage)
      << ": measure cpu with clock_gettime(CLOCK_THREAD_CPUTIME_ID, ...), not with the wall clock";
}

TEST(MeasureUsage, BusyWorkUsesCpu) {
  const Usage usage = best_busy_usage();
  course::record_figure(
      "cpu share",
      fmt::format("{:.0f}%", 100 * course::Millis(usage.cpu) / course::Millis(usage.wall)),
      "≥ 50%");
  EXPECT_LE(usage.cpu, usage.wall + 1ms)
      << "one thread cannot run longer than the time that passed: " << describe(usage);
  EXPECT_GE(2 * usage.cpu, usage.wall)
      << "a thread that only computes is on a CPU nearly all the time, yet " << describe(usage)
      << " (best of 5). Is cpu the calling thread's CPU time, read before and after work()?";
}

TEST(Classify, HalfTheWallTimeOnACpuIsTheLine) {
  EXPECT_EQ(classify({100ms, 90ms}), Bound::cpu) << describe({100ms, 90ms});
  EXPECT_EQ(classify({100ms, 50ms}), Bound::cpu) << "exactly half counts as CPU-bound";
  EXPECT_EQ(classify({100ms, 49ms}), Bound::io) << describe({100ms, 49ms});
  EXPECT_EQ(classify({100ms, 0ms}), Bound::io) << describe({100ms, 0ms});
  EXPECT_EQ(classify({0ms, 0ms}), Bound::cpu) << "a zero wall time counts as CPU-bound";
}

TEST(Classify, SortsRealWork) {
  const Usage sleeping = measure_usage([] { std::this_thread::sleep_for(course::scaled(20ms)); });
  EXPECT_EQ(classify(sleeping), Bound::io) << "sleeping: " << describe(sleeping);
  const Usage busy = best_busy_usage();
  EXPECT_EQ(classify(busy), Bound::cpu) << "computing: " << describe(busy);
}

}  // namespace
