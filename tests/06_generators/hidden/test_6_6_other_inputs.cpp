// Exercise 6.6's hidden tests: the same properties as the visible ones, on other inputs drawn at
// random — a solution that fits the visible cases only (two tasks, naps of 20, 30 and 50 ms)
// fails here. Left out of what students receive; the rubric marks them hidden.
#include <chrono>
#include <cstdint>
#include <deque>
#include <queue>
#include <random>
#include <string>
#include <tuple>
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
using Millis = std::chrono::milliseconds;

std::string ms(course::LoopClock::time_point moment) {
  return fmt::format("{}ms", std::chrono::duration_cast<Millis>(moment.time_since_epoch()).count());
}

Task display_date(int num, int times, Strings& trace) {
  for (int i = 1; i <= times; ++i) {
    trace.push_back(fmt::format("Loop {} #{}", num, i));
    co_yield Pass{};
  }
}

TEST(RoundRobinTest, SeveralLoopsOfRandomLengthsTakeTurnsExactly) {
  const unsigned seed = std::random_device{}();
  std::mt19937 draw(seed);
  for (int round = 0; round < 30; ++round) {
    course::ManualClock clock;
    RoundRobin scheduler(clock);
    Strings trace;
    const int tasks = 3 + static_cast<int>(draw() % 6);
    std::vector<int> times;
    std::string shape;
    for (int num = 1; num <= tasks; ++num) {
      times.push_back(static_cast<int>(draw() % 8));
      shape += fmt::format(" {}", times.back());
      scheduler.spawn(display_date(num, times.back(), trace));
    }
    scheduler.run();
    // Round robin: each task in the queue's order takes one step, then goes to the back.
    Strings expected;
    std::deque<std::pair<int, int>> ready;  // (task, steps taken)
    for (int num = 1; num <= tasks; ++num) ready.emplace_back(num, 0);
    while (!ready.empty()) {
      auto [num, done] = ready.front();
      ready.pop_front();
      if (done == times[static_cast<std::size_t>(num - 1)]) continue;  // it ends
      expected.push_back(fmt::format("Loop {} #{}", num, done + 1));
      ready.emplace_back(num, done + 1);
    }
    ASSERT_EQ(trace, expected) << fmt::format(
        "{} tasks of{} steps: each runs up to its next co_yield, then the next task in the "
        "queue gets its turn (seed {})",
        tasks, shape, seed);
    ASSERT_TRUE(clock.waits().empty()) << "nobody slept: no waiting";
  }
}

Task napper(int num, Millis nap, int times, Strings& trace, const course::LoopClock& clock) {
  for (int i = 1; i <= times; ++i) {
    trace.push_back(fmt::format("Loop {} at {}", num, ms(clock.now())));
    co_yield SleepFor{nap};
  }
}

TEST(RoundRobinTest, RandomSleepersWakeAtTheirTimesInTheOrderTheyWentToSleep) {
  const unsigned seed = std::random_device{}();
  std::mt19937 draw(seed);
  for (int round = 0; round < 30; ++round) {
    course::ManualClock clock;
    RoundRobin scheduler(clock);
    Strings trace;
    const int tasks = 2 + static_cast<int>(draw() % 6);
    std::vector<std::pair<Millis, int>> plans;  // (nap, times)
    std::string shape;
    for (int num = 1; num <= tasks; ++num) {
      // Naps from a few lengths, so that many wake together.
      const Millis nap = 5ms * (1 + draw() % 6);
      const int times = static_cast<int>(draw() % 6);
      plans.emplace_back(nap, times);
      shape += fmt::format(" {}×{}ms", times, nap.count());
      scheduler.spawn(napper(num, nap, times, trace, clock));
    }
    scheduler.run();
    // What the scheduler should do: ready tasks in turn; sleepers wake by time, those due
    // together in the order they went to sleep; with nobody ready, one wait for the first.
    Strings expected;
    Strings expected_waits;
    Millis now{0};
    std::uint64_t sleeps = 0;
    std::deque<std::pair<int, int>> ready;  // (task, naps taken)
    using Sleeper = std::tuple<Millis, std::uint64_t, int, int>;
    std::priority_queue<Sleeper, std::vector<Sleeper>, std::greater<>> sleeping;
    for (int num = 1; num <= tasks; ++num) ready.emplace_back(num, 0);
    while (!ready.empty() || !sleeping.empty()) {
      while (!sleeping.empty() && std::get<0>(sleeping.top()) <= now) {
        ready.emplace_back(std::get<2>(sleeping.top()), std::get<3>(sleeping.top()));
        sleeping.pop();
      }
      if (ready.empty()) {
        now = std::get<0>(sleeping.top());
        expected_waits.push_back(fmt::format("{}ms", now.count()));
        continue;
      }
      auto [num, naps] = ready.front();
      ready.pop_front();
      const auto& [nap, times] = plans[static_cast<std::size_t>(num - 1)];
      if (naps == times) continue;  // it ends
      expected.push_back(fmt::format("Loop {} at {}ms", num, now.count()));
      sleeping.emplace(now + nap, sleeps++, num, naps + 1);
    }
    ASSERT_EQ(trace, expected) << fmt::format(
        "{} tasks of{}: each sleeps its nap while the others go on; those whose times come "
        "together wake in the order they went to sleep (seed {})",
        tasks, shape, seed);
    ASSERT_EQ(ms(clock.now()), fmt::format("{}ms", now.count()))
        << fmt::format("run() ends when the last task has ended (seed {})", seed);
    Strings waits;
    for (const auto deadline : clock.waits()) waits.push_back(ms(deadline));
    ASSERT_EQ(waits, expected_waits) << fmt::format(
        "one wait each time nobody is ready, until the first sleeper's time (seed {})", seed);
  }
}

}  // namespace
