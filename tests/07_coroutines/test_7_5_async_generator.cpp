// Exercise 7.5: async generators, consumed with co_await next().
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <course/loop_clock.hpp>
#include <course/testing.hpp>

#include "async_generator.hpp"
#include "event_loop.hpp"
#include "loop_testing.hpp"
#include "sleep.hpp"
#include "task.hpp"

namespace {

using namespace std::chrono_literals;
using coro::AsyncGenerator;
using coro::EventLoop;
using coro::Task;
using loop_testing::at;
using loop_testing::run_on;
using loop_testing::Strings;
using loop_testing::Trace;

// The notebooks' ticker: a value, then a nap, `count` times.
AsyncGenerator<int> ticker(int count, std::chrono::milliseconds nap, int& started) {
  ++started;
  for (int i = 0; i < count; ++i) {
    co_yield i;
    co_await coro::sleep(nap);
  }
}

Task<Strings> consumes(AsyncGenerator<int> ticks, Trace& trace) {
  Strings seen;
  while (auto tick = co_await ticks.next()) {
    trace.add(fmt::format("tick {}", *tick));
    seen.push_back(std::to_string(*tick));
  }
  trace.add("the end");
  co_return seen;
}

TEST(AsyncGenerator, TheTickerGivesItsValuesBetweenItsNaps) {
  course::ManualClock clock;
  EventLoop loop(clock);
  Trace trace(clock);
  int started = 0;
  auto ticks = ticker(3, 10ms, started);
  EXPECT_EQ(started, 0) << "lazy: nothing of the generator runs before the first next()";
  EXPECT_EQ(run_on(loop, clock, consumes(std::move(ticks), trace)), (Strings{"0", "1", "2"}));
  EXPECT_EQ(trace.entries(), (Strings{"tick 0@0ms", "tick 1@10ms", "tick 2@20ms", "the end@30ms"}))
      << "each next() runs the generator up to its next co_yield — through its sleeps — and "
         "after the last value, next() gives nullopt once the generator has ended";
}

Task<int> two_tickers(int& started, Trace& trace) {
  auto fast = coro::spawn(consumes(ticker(3, 10ms, started), trace));
  auto slow = coro::spawn(consumes(ticker(2, 25ms, started), trace));
  co_return static_cast<int>((co_await fast).size() + (co_await slow).size());
}

TEST(AsyncGenerator, TwoTickersInTwoTasksInterleave) {
  course::ManualClock clock;
  EventLoop loop(clock);
  Trace trace(clock);
  int started = 0;
  EXPECT_EQ(run_on(loop, clock, two_tickers(started, trace)), 5);
  EXPECT_EQ(trace.entries(), (Strings{"tick 0@0ms", "tick 0@0ms", "tick 1@10ms", "tick 2@20ms",
                                      "tick 1@25ms", "the end@30ms", "the end@50ms"}))
      << "a generator's sleeps are its consumer's: the other task runs meanwhile";
}

AsyncGenerator<int> fails_after_two() {
  co_yield 1;
  co_await coro::sleep(1ms);
  co_yield 2;
  throw std::runtime_error("the feed broke");
}

Task<std::string> reads_a_failing_feed() {
  auto feed = fails_after_two();
  std::string read;
  try {
    while (auto value = co_await feed.next()) read += std::to_string(*value);
  } catch (const std::runtime_error& error) {
    co_return read + ", then: " + error.what();
  }
  co_return read + ", no exception";
}

TEST(AsyncGenerator, AnExceptionInsideReachesTheConsumer) {
  course::ManualClock clock;
  EventLoop loop(clock);
  EXPECT_EQ(run_on(loop, clock, reads_a_failing_feed()), "12, then: the feed broke")
      << "an exception that leaves the generator is rethrown by the co_await next() that "
         "resumed it";
}

}  // namespace
