// Exercise 7.2's hidden tests: the same properties as the visible ones, on other inputs drawn at
// random — a solution that fits the visible cases only (up to five tasks, delays of 0, 5, 10, 20,
// 30 and 100 ms) fails here. Left out of what students receive; the rubric marks them hidden.
#include <algorithm>
#include <chrono>
#include <numeric>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <course/loop_clock.hpp>
#include <course/testing.hpp>

#include "../loop_testing.hpp"
#include "event_loop.hpp"
#include "sleep.hpp"
#include "task.hpp"

namespace {

using namespace std::chrono_literals;
using coro::EventLoop;
using coro::Task;
using loop_testing::at;
using loop_testing::run_on;
using loop_testing::Strings;
using loop_testing::Trace;
using Millis = std::chrono::milliseconds;
using Start = course::LoopClock::time_point;  // a ManualClock starts at 0

Task<> records(std::string label, Millis delay, Trace& trace) {
  co_await coro::sleep(delay);
  trace.add(label);
}

Task<> spawns(const std::vector<Millis>& delays, Trace& trace) {
  std::vector<coro::JoinHandle<void>> tasks;
  for (std::size_t i = 0; i < delays.size(); ++i) {
    tasks.push_back(coro::spawn(records(fmt::format("#{}", i), delays[i], trace)));
  }
  trace.add("spawned");
  for (auto& task : tasks) co_await task;
}

TEST(EventLoop, ManySpawnedSleepersWakeByTimeAndThoseDueTogetherInTheOrderTheirTimersWereSet) {
  const unsigned seed = std::random_device{}();
  std::mt19937 draw(seed);
  for (int round = 0; round < 20; ++round) {
    course::ManualClock clock;
    EventLoop loop(clock);
    Trace trace(clock);
    const std::size_t count = 6 + draw() % 60;
    std::vector<Millis> delays;
    // Six delays for up to 65 tasks: most are due together with others.
    for (std::size_t i = 0; i < count; ++i) delays.push_back(Millis(4 * (draw() % 6)));
    run_on(loop, clock, spawns(delays, trace));
    std::vector<std::pair<Millis, std::string>> planned;
    for (std::size_t i = 0; i < count; ++i) planned.emplace_back(delays[i], fmt::format("#{}", i));
    std::stable_sort(planned.begin(), planned.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    Strings expected{"spawned@0ms"};
    for (const auto& [delay, label] : planned)
      expected.push_back(label + "@" + at(Start{} + delay));
    ASSERT_EQ(trace.entries(), expected) << fmt::format(
        "{} tasks spawned: they start once the spawner waits; timers fire by time, and those "
        "due together in the order they were set (seed {})",
        count, seed);
    ASSERT_EQ(at(clock.now()), at(Start{} + planned.back().first))
        << fmt::format("(seed {})", seed);
    Strings deadlines;
    for (const auto& [delay, label] : planned) {
      const std::string deadline = at(Start{} + delay);
      if (delay > Millis(0) && (deadlines.empty() || deadlines.back() != deadline)) {
        deadlines.push_back(deadline);
      }
    }
    Strings waits;
    for (const auto deadline : clock.waits()) waits.push_back(at(deadline));
    ASSERT_EQ(waits, deadlines) << fmt::format(
        "timers due at the same time: one wait for all of them (seed {})", seed);
  }
}

Task<std::string> fetch_user(int id, Millis delay) {
  co_await coro::sleep(delay);
  co_return fmt::format("user {}", id);
}

Task<Strings> one_after_another(const std::vector<Millis>& delays) {
  Strings users;
  for (std::size_t i = 0; i < delays.size(); ++i) {
    users.push_back(co_await fetch_user(static_cast<int>(i), delays[i]));
  }
  co_return users;
}

Task<Strings> all_at_once(const std::vector<Millis>& delays) {
  std::vector<coro::JoinHandle<std::string>> started;
  for (std::size_t i = 0; i < delays.size(); ++i) {
    started.push_back(coro::spawn(fetch_user(static_cast<int>(i), delays[i])));
  }
  Strings users;
  for (auto& user : started) users.push_back(co_await user);
  co_return users;
}

TEST(EventLoop, RandomUsersAwaitedInTurnAddUpAndSpawnedOverlap) {
  const unsigned seed = std::random_device{}();
  std::mt19937 draw(seed);
  for (int round = 0; round < 20; ++round) {
    const std::size_t count = 1 + draw() % 30;
    std::vector<Millis> delays;
    Strings expected;
    for (std::size_t i = 0; i < count; ++i) {
      delays.push_back(Millis(1 + draw() % 250));
      expected.push_back(fmt::format("user {}", i));
    }
    const Millis sum = std::accumulate(delays.begin(), delays.end(), Millis(0));
    const Millis longest = *std::max_element(delays.begin(), delays.end());
    {
      course::ManualClock clock;
      EventLoop loop(clock);
      ASSERT_EQ(run_on(loop, clock, one_after_another(delays)), expected)
          << fmt::format("(seed {})", seed);
      ASSERT_EQ(clock.elapsed(), sum) << fmt::format(
          "{} users awaited one after another: their delays add up (seed {})", count, seed);
    }
    course::ManualClock clock;
    EventLoop loop(clock);
    ASSERT_EQ(run_on(loop, clock, all_at_once(delays)), expected)
        << fmt::format("the results come in the order the tasks were spawned (seed {})", seed);
    ASSERT_EQ(clock.elapsed(), longest) << fmt::format(
        "{} users spawned first and awaited after: the waits overlap, the longest is all it "
        "takes (seed {})",
        count, seed);
  }
}

}  // namespace
