// Exercise 2.5's hidden tests: the same properties as the visible ones, on other inputs drawn at
// random — a solution that fits the visible cases only (capacities 2 to 8, four producers and
// four consumers) fails here. Left out of what students receive; the rubric marks them hidden.
#include <algorithm>
#include <deque>
#include <numeric>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <course/testing.hpp>

#include "bounded_queue.hpp"

namespace {

using threads::BoundedQueue;

// One thread, never blocking: pushes only while there is room, pops only while there is an
// item, and checks every pop and size() against a std::deque.
TEST(BoundedQueue, RandomPushesAndPopsKeepTheOrderAtAnyCapacity) {
  const unsigned seed = std::random_device{}();
  std::mt19937 draw(seed);
  for (int round = 0; round < 20; ++round) {
    const std::size_t capacity = 1 + draw() % 17;
    BoundedQueue<long> queue(capacity);
    std::deque<long> model;
    for (int step = 0; step < 400; ++step) {
      const bool push = model.empty() || (model.size() < capacity && draw() % 2 == 0);
      if (push) {
        const long item = static_cast<long>(draw());
        ASSERT_TRUE(queue.push(item)) << fmt::format("an open queue takes a push (seed {})", seed);
        model.push_back(item);
      } else {
        ASSERT_EQ(queue.pop(), std::optional<long>(model.front())) << fmt::format(
            "capacity {}, step {}: first in, first out (seed {})", capacity, step, seed);
        model.pop_front();
      }
      ASSERT_EQ(queue.size(), model.size())
          << fmt::format("capacity {}, step {} (seed {})", capacity, step, seed);
    }
    queue.close();
    EXPECT_FALSE(queue.push(1)) << "a closed queue refuses pushes";
    for (const long item : model) {
      ASSERT_EQ(queue.pop(), std::optional<long>(item))
          << fmt::format("after close(), pop hands out what is left, in order (seed {})", seed);
    }
    EXPECT_EQ(queue.pop(), std::nullopt) << "closed and empty";
  }
}

TEST(BoundedQueue, OtherCountsOfProducersAndConsumersLoseNothing) {
  const unsigned seed = std::random_device{}();
  std::mt19937 draw(seed);
  // Never four and four, as the visible test.
  const int producers = 1 + static_cast<int>(draw() % 6);
  const int consumers = producers == 4 ? 5 : 1 + static_cast<int>(draw() % 6);
  const std::size_t capacity = 1 + draw() % 5;
  const int each = 300 + static_cast<int>(draw() % 700);
  const std::string inputs = fmt::format(
      "{} producers of {} items, {} consumers, capacity {} "
      "(seed {})",
      producers, each, consumers, capacity, seed);
  BoundedQueue<int> queue(capacity);
  std::vector<std::vector<int>> received(static_cast<std::size_t>(consumers));
  {
    std::vector<std::jthread> consumer_threads;
    for (int c = 0; c < consumers; ++c) {
      consumer_threads.emplace_back([&queue, &mine = received[static_cast<std::size_t>(c)]] {
        while (auto item = queue.pop()) mine.push_back(*item);
      });
    }
    {
      std::vector<std::jthread> producer_threads;
      for (int p = 0; p < producers; ++p) {
        producer_threads.emplace_back([&queue, p, each] {
          for (int i = 0; i < each; ++i) queue.push(p * each + i);
        });
      }
      const course::DeadlineNote note("the producers never finished: " + inputs);
    }  // every item is pushed
    queue.close();
    const course::DeadlineNote note("the consumers never finished after close(): " + inputs);
  }  // every item is popped
  std::vector<int> all;
  for (const auto& mine : received) all.insert(all.end(), mine.begin(), mine.end());
  std::sort(all.begin(), all.end());
  std::vector<int> expected(static_cast<std::size_t>(producers * each));
  std::iota(expected.begin(), expected.end(), 0);
  ASSERT_EQ(all.size(), expected.size()) << "items were lost or handed out twice: " << inputs;
  EXPECT_EQ(all, expected) << "every item exactly once: " << inputs;
  for (const auto& mine : received) {
    for (int p = 0; p < producers; ++p) {
      std::vector<int> from_p;
      std::copy_if(mine.begin(), mine.end(), std::back_inserter(from_p),
                   [p, each](int item) { return item / each == p; });
      EXPECT_TRUE(std::is_sorted(from_p.begin(), from_p.end()))
          << "first in, first out: " << inputs;
    }
  }
}

}  // namespace
