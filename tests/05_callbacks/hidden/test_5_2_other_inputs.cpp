// Exercise 5.2's hidden tests: the same properties as the visible ones, on other inputs drawn at
// random — a solution that fits the visible cases only (a handful of callbacks, at most five due
// together, the clock at 0 or 100 ms) fails here. Left out of what students receive; the rubric
// marks them hidden.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <course/loop_clock.hpp>
#include <course/testing.hpp>

#include "../loop_testing.hpp"
#include "scheduler.hpp"

namespace {

using namespace std::chrono_literals;
using callbacks::Handle;
using callbacks::Scheduler;
using callbacks::TimePoint;
using loop_testing::at;
using loop_testing::run_on;
using loop_testing::Trace;
using Strings = std::vector<std::string>;

// A callback the test schedules, and where the trace should show it.
struct Planned {
  TimePoint due;
  std::string label;
};

// The trace the loop should leave: by deadline, and in scheduling order among those due
// together.
Strings in_deadline_order(std::vector<Planned> planned) {
  std::stable_sort(planned.begin(), planned.end(),
                   [](const Planned& a, const Planned& b) { return a.due < b.due; });
  Strings expected;
  for (const Planned& one : planned) expected.push_back(one.label + "@" + at(one.due));
  return expected;
}

TEST(Scheduler, ManyCallbacksDueTogetherRunInDeadlineThenSchedulingOrder) {
  const unsigned seed = std::random_device{}();
  std::mt19937 draw(seed);
  for (int round = 0; round < 20; ++round) {
    course::ManualClock clock;
    clock.advance(std::chrono::milliseconds(draw() % 90));
    const TimePoint start = clock.now();
    Scheduler loop(clock);
    Trace trace(clock);
    std::vector<Planned> planned;
    const int count = 20 + static_cast<int>(draw() % 60);
    for (int i = 0; i < count; ++i) {
      // Five deadlines for up to 80 callbacks: most are due together with others.
      const auto delay = std::chrono::milliseconds(7 * (draw() % 5));
      std::string label = fmt::format("#{}", i);
      switch (draw() % 3) {
        case 0:
          loop.call_soon(trace.record(label));
          planned.push_back({start, label});
          break;
        case 1:
          loop.call_later(delay, trace.record(label));
          planned.push_back({start + delay, label});
          break;
        default:
          loop.call_at(start + delay, trace.record(label));
          planned.push_back({start + delay, label});
          break;
      }
    }
    run_on(loop, clock);
    const Strings expected = in_deadline_order(planned);
    ASSERT_EQ(trace.entries(), expected) << fmt::format(
        "{} callbacks scheduled with the clock at {}: each runs at its deadline, "
        "and those due together in the order they were scheduled (seed {})",
        count, at(start), seed);
    Strings deadlines;
    for (const Planned& one : planned) {
      if (one.due > start) deadlines.push_back(at(one.due));
    }
    std::sort(deadlines.begin(), deadlines.end(), [](const std::string& a, const std::string& b) {
      return std::stod(a) < std::stod(b);
    });
    deadlines.erase(std::unique(deadlines.begin(), deadlines.end()), deadlines.end());
    Strings waits;
    for (const auto deadline : clock.waits()) waits.push_back(at(deadline));
    ASSERT_EQ(waits, deadlines) << fmt::format(
        "the loop waits once for each deadline, however many callbacks share it (seed {})", seed);
  }
}

TEST(Scheduler, RandomCancellationsLeaveTheOthersToRunAndNobodyWaitingForThem) {
  const unsigned seed = std::random_device{}();
  std::mt19937 draw(seed);
  for (int round = 0; round < 20; ++round) {
    course::ManualClock clock;
    clock.advance(std::chrono::milliseconds(draw() % 1000));
    const TimePoint start = clock.now();
    Scheduler loop(clock);
    Trace trace(clock);
    const int count = 5 + static_cast<int>(draw() % 40);
    std::vector<Handle> handles;
    std::vector<Planned> planned;
    std::vector<int> cancelled_before_run;
    std::vector<int> cancelled_by_a_callback;
    for (int i = 0; i < count; ++i) {
      const auto delay = std::chrono::milliseconds(1 + draw() % 300);
      const std::string label = fmt::format("#{}", i);
      handles.push_back(loop.call_later(delay, trace.record(label)));
      switch (draw() % 3) {
        case 0:
          cancelled_before_run.push_back(i);
          break;
        case 1:
          cancelled_by_a_callback.push_back(i);
          break;
        default:
          planned.push_back({start + delay, label});
          break;
      }
    }
    // Far callbacks, all cancelled: the loop must not wait for any of them.
    for (int far = 0; far < 3; ++far) {
      const auto delay = std::chrono::seconds(500 + draw() % 5000);
      handles.push_back(loop.call_later(delay, trace.record("far")));
      (far == 0 ? cancelled_before_run : cancelled_by_a_callback)
          .push_back(static_cast<int>(handles.size()) - 1);
    }
    for (const int i : cancelled_before_run) {
      ASSERT_TRUE(handles[static_cast<std::size_t>(i)].cancel()) << fmt::format("(seed {})", seed);
    }
    loop.call_soon([&] {
      for (const int i : cancelled_by_a_callback) {
        EXPECT_TRUE(handles[static_cast<std::size_t>(i)].cancel())
            << fmt::format("a callback cancels one that has not run yet (seed {})", seed);
      }
      for (const int i : cancelled_before_run) {
        EXPECT_FALSE(handles[static_cast<std::size_t>(i)].cancel())
            << fmt::format("cancelled twice: false the second time (seed {})", seed);
      }
    });
    run_on(loop, clock);
    ASSERT_EQ(trace.entries(), in_deadline_order(planned)) << fmt::format(
        "{} callbacks, {} cancelled before run() and {} by a callback (seed {})", handles.size(),
        cancelled_before_run.size(), cancelled_by_a_callback.size(), seed);
    TimePoint last = start;
    for (const Planned& one : planned) last = std::max(last, one.due);
    ASSERT_EQ(at(clock.now()), at(last)) << fmt::format(
        "run() ends after the last callback that was not cancelled: cancelled ones (up to "
        "5500 s away here) keep nobody waiting (seed {})",
        seed);
    for (const Handle& handle : handles) {
      ASSERT_FALSE(handle.pending()) << fmt::format("(seed {})", seed);
    }
  }
}

}  // namespace
