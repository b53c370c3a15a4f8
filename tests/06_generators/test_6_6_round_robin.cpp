// Exercise 6.6: tasks as generators, taking turns under a round-robin scheduler.
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <course/loop_clock.hpp>
#include <course/testing.hpp>

#include "round_robin.hpp"

namespace {

using namespace std::chrono_literals;
using generators::Pass;
using generators::RoundRobin;
using generators::SleepFor;
using generators::Task;
using Strings = std::vector<std::string>;

std::string at(const course::LoopClock& clock) {
  return fmt::format(
      "{}ms", std::chrono::duration_cast<std::chrono::milliseconds>(clock.now().time_since_epoch())
                  .count());
}

// The notebooks' display_date, with a fixed nap: prints its number, then gives the CPU back.
Task display_date(int num, int times, Strings& trace) {
  for (int i = 1; i <= times; ++i) {
    trace.push_back(fmt::format("Loop {} #{}", num, i));
    co_yield Pass{};
  }
}

TEST(RoundRobinTest, TwoLoopsTakeTurnsExactly) {
  course::ManualClock clock;
  RoundRobin scheduler(clock);
  Strings trace;
  scheduler.spawn(display_date(1, 3, trace));
  scheduler.spawn(display_date(2, 3, trace));
  EXPECT_TRUE(trace.empty()) << "spawn() only queues the task: it runs in run()";
  scheduler.run();
  EXPECT_EQ(trace,
            (Strings{"Loop 1 #1", "Loop 2 #1", "Loop 1 #2", "Loop 2 #2", "Loop 1 #3", "Loop 2 #3"}))
      << "each task runs up to its next co_yield, then the other gets its turn";
}

Task napper(int num, std::chrono::milliseconds nap, int times, Strings& trace,
            const course::LoopClock& clock) {
  for (int i = 1; i <= times; ++i) {
    trace.push_back(fmt::format("Loop {} at {}", num, at(clock)));
    co_yield SleepFor{nap};
  }
}

TEST(RoundRobinTest, ASleepingTaskWaitsItsTimeAndTheOthersGoOn) {
  course::ManualClock clock;
  RoundRobin scheduler(clock);
  Strings trace;
  scheduler.spawn(napper(1, 30ms, 3, trace, clock));
  scheduler.spawn(napper(2, 20ms, 3, trace, clock));
  scheduler.run();
  EXPECT_EQ(trace, (Strings{"Loop 1 at 0ms", "Loop 2 at 0ms", "Loop 2 at 20ms", "Loop 1 at 30ms",
                            "Loop 2 at 40ms", "Loop 1 at 60ms"}))
      << "the notebooks' two display_date loops, with naps of 30 and 20 ms, on a ManualClock";
  EXPECT_EQ(at(clock), "90ms") << "run() ends when the last task has ended (after its last nap)";
}

TEST(RoundRobinTest, WaitsThroughTheClockOnlyWhenNobodyIsReady) {
  course::ManualClock clock;
  RoundRobin scheduler(clock);
  Strings trace;
  scheduler.spawn(napper(1, 50ms, 2, trace, clock));
  scheduler.spawn(display_date(2, 3, trace));
  scheduler.run();
  EXPECT_EQ(trace,
            (Strings{"Loop 1 at 0ms", "Loop 2 #1", "Loop 2 #2", "Loop 2 #3", "Loop 1 at 50ms"}))
      << "while task 1 sleeps, task 2 has the CPU to itself";
  std::vector<std::string> waits;
  for (const auto deadline : clock.waits()) {
    waits.push_back(fmt::format(
        "{}ms", std::chrono::duration_cast<std::chrono::milliseconds>(deadline.time_since_epoch())
                    .count()));
  }
  EXPECT_EQ(waits, (Strings{"50ms", "100ms"})) << "one wait per nap, until its end";
}

Task fails_at_once() {
  throw std::runtime_error("the task failed");
  co_return;
}

TEST(RoundRobinTest, ATasksExceptionLeavesRun) {
  course::ManualClock clock;
  RoundRobin scheduler(clock);
  scheduler.spawn(fails_at_once());
  EXPECT_THROW(scheduler.run(), std::runtime_error);
}

}  // namespace
