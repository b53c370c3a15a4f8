// Exercise 3.2's hidden tests: the same properties as the visible ones, on other inputs drawn at
// random — a solution that fits the visible cases only (intervals of 3 and 100, two waiters)
// fails here. Left out of what students receive; the rubric marks them hidden.
#include <atomic>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <course/testing.hpp>
#include <toy/programs.hpp>

#include "../gil_run.hpp"
#include "tick_gil.hpp"

namespace {

using namespace std::chrono_literals;
using gil_testing::run_threads;

TEST(TickGil, LetsGoEveryIntervalTicksForOtherIntervals) {
  const unsigned seed = std::random_device{}();
  std::mt19937 draw(seed);
  for (const long interval :
       {1L, 4 + static_cast<long>(draw() % 20), 24 + static_cast<long>(draw() % 50),
        101 + static_cast<long>(draw() % 400)}) {
    gil::TickGil lock(interval);
    EXPECT_EQ(lock.interval(), interval);
    lock.take();
    const long ticks = 3 * interval + static_cast<long>(draw() % static_cast<unsigned>(interval));
    std::string got;
    std::string expected;
    for (long tick = 1; tick <= ticks; ++tick) {
      got += lock.should_yield() ? 'Y' : '.';
      expected += tick % interval == 0 ? 'Y' : '.';
    }
    lock.drop();
    EXPECT_EQ(got, expected) << fmt::format(
        "with an interval of {}, every {}th check point says: let go (Y) (seed {})", interval,
        interval, seed);
    gil::TickGil fresh(interval);
    const long count = 500 + static_cast<long>(draw() % 2'500);
    const toy::Code code(toy::count_to(count));  // a loop of `count` turns: `count` check points
    const auto run = run_threads(fresh, code, 1);
    EXPECT_EQ(run.results[0], count);
    EXPECT_EQ(run.stats[0].yields, count / interval) << fmt::format(
        "{} check points, one yield every {} — even alone (seed {})", count, interval, seed);
  }
}

// As the visible TurnsGoInTheOrderOfAsking, with more waiters: the test holds the GIL while
// they ask for it one after another, each asleep in take() before the next starts; then it lets
// go and asks again at once, and is served last.
TEST(TickGil, MoreWaitersGetItInTheOrderTheyAsked) {
  const unsigned seed = std::random_device{}();
  std::mt19937 draw(seed);
  const int waiters = 3 + static_cast<int>(draw() % 5);  // 3 to 7
  gil::TickGil lock(1 + static_cast<long>(draw() % 200));
  std::mutex order_mutex;
  std::string order;
  const auto holder = [&](char name) {
    lock.take();
    {
      const std::lock_guard lock_order(order_mutex);
      order += name;
    }
    lock.drop();
  };
  std::string expected;
  lock.take();
  {
    std::vector<std::jthread> threads;
    for (int w = 0; w < waiters; ++w) {
      const char name = static_cast<char>('B' + w);
      expected += name;
      std::atomic<int> id{0};
      threads.emplace_back([&id, &holder, name] {
        id = course::current_thread_id();
        holder(name);
      });
      while (id == 0) std::this_thread::yield();
      EXPECT_TRUE(course::wait_until_asleep({id}, course::stretched(2000ms)))
          << name << " never waited in take() while the GIL was held";
    }
    lock.drop();
    holder('A');  // asks again at once
  }
  expected += 'A';
  EXPECT_EQ(order, expected) << fmt::format(
      "the order the GIL was taken in: {} waiters asked in the order {}, then A asked again "
      "(seed {}). Draw a ticket in take(), and serve the tickets in order",
      waiters, expected.substr(0, static_cast<std::size_t>(waiters)), seed);
}

}  // namespace
