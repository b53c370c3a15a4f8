// Exercise 2.1's hidden tests: the same properties as the visible ones, on other inputs drawn at
// random — a solution that fits the visible cases only (three tasks, at most two that throw)
// fails here. Left out of what students receive; the rubric marks them hidden.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <course/testing.hpp>

#include "run_all.hpp"

namespace {

using namespace std::chrono_literals;
using threads::run_all;

using Task = std::function<int()>;

TEST(RunAll, ManyTasksGiveTheirResultsInTaskOrder) {
  const unsigned seed = std::random_device{}();
  std::mt19937 draw(seed);
  for (int round = 0; round < 5; ++round) {
    const int count = 4 + static_cast<int>(draw() % 21);  // 4 to 24 tasks
    std::atomic<int> runs{0};
    std::vector<int> expected;
    std::vector<Task> tasks;
    for (int i = 0; i < count; ++i) {
      const int value = static_cast<int>(draw() % 2'000'001) - 1'000'000;
      const auto nap = std::chrono::microseconds(draw() % 3'000);  // they finish out of order
      expected.push_back(value);
      tasks.emplace_back([&runs, value, nap] {
        ++runs;
        std::this_thread::sleep_for(nap);
        return value;
      });
    }
    EXPECT_EQ(run_all(tasks), expected)
        << fmt::format("{} tasks: the results in the order of the tasks (seed {})", count, seed);
    EXPECT_EQ(runs, count) << fmt::format("each of the {} tasks runs once (seed {})", count, seed);
  }
}

TEST(RunAll, RethrowsTheFirstOfSeveralFailingTasks) {
  const unsigned seed = std::random_device{}();
  std::mt19937 draw(seed);
  for (int round = 0; round < 5; ++round) {
    const int count = 4 + static_cast<int>(draw() % 13);  // 4 to 16 tasks
    // Two to four of them throw; the first of those in the list throws last.
    std::vector<bool> throws(static_cast<std::size_t>(count), false);
    const int failing = 2 + static_cast<int>(draw() % 3);
    while (std::count(throws.begin(), throws.end(), true) < failing) {
      throws[draw() % throws.size()] = true;
    }
    int first = 0;
    while (!throws[static_cast<std::size_t>(first)]) ++first;
    std::atomic<int> finished{0};
    int succeeding = 0;
    std::vector<Task> tasks;
    for (int i = 0; i < count; ++i) {
      if (!throws[static_cast<std::size_t>(i)]) {
        ++succeeding;
        tasks.emplace_back([&finished, nap = std::chrono::microseconds(draw() % 5'000)] {
          std::this_thread::sleep_for(nap);
          ++finished;
          return 1;
        });
      } else {
        tasks.emplace_back([i, nap = i == first ? course::scaled(20ms) : 0ms]() -> int {
          std::this_thread::sleep_for(nap);
          throw std::runtime_error(fmt::format("task {}", i));
        });
      }
    }
    try {
      (void)run_all(tasks);
      ADD_FAILURE() << fmt::format("tasks threw, so run_all must throw (seed {})", seed);
    } catch (const std::runtime_error& error) {
      EXPECT_EQ(std::string(error.what()), fmt::format("task {}", first)) << fmt::format(
          "{} tasks: the exception of the first task in the list that threw, not "
          "of the first to throw (seed {})",
          count, seed);
    }
    EXPECT_EQ(finished, succeeding)
        << fmt::format("run_all threw before every task had finished (seed {})", seed);
  }
}

}  // namespace
