// Exercise 2.1: start all, then join all.
#include <atomic>
#include <functional>
#include <stdexcept>
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

// Three tasks that each sleep `nap` inside the gauge and the recorder, returning 0, 10, 20.
struct SleepyTasks {
  course::ActivityGauge gauge;
  course::SpanRecorder recorder;
  std::vector<Task> tasks;

  explicit SleepyTasks(std::chrono::nanoseconds nap) {
    for (int i = 0; i < 3; ++i) {
      tasks.emplace_back([this, i, nap] {
        const auto active = gauge.enter();
        const auto span = recorder.span(fmt::format("task {}", i));
        std::this_thread::sleep_for(nap);
        return 10 * i;
      });
    }
  }
};

constexpr std::string_view kTrap =
    "did you join each thread right after starting it? Then the next one starts only when it "
    "has finished. Start them all first, then join them all.";

TEST(RunAll, ReturnsTheResultsInTheOrderOfTheTasks) {
  // Task 0 finishes last, task 2 first: the order of the results is still the tasks' order.
  std::vector<Task> tasks;
  for (int i = 0; i < 3; ++i) {
    tasks.emplace_back([i] {
      std::this_thread::sleep_for(course::scaled((3 - i) * 10ms));
      return 10 * i;
    });
  }
  EXPECT_EQ(run_all(tasks), (std::vector<int>{0, 10, 20}));
}

TEST(RunAll, RunsTheTasksAtTheSameTime) {
  SleepyTasks sleepy(course::scaled(50ms));
  (void)run_all(sleepy.tasks);
  EXPECT_GE(sleepy.gauge.peak(), 2) << "the tasks never ran at the same time: " << kTrap << "\n"
                                    << sleepy.recorder.timeline();
}

// 100 ms each: one after another they take 300 ms, together about 100, and the bound of 175
// leaves room for a busy machine (measured on a shared 2-core machine: 100.3–100.9 ms in 20
// runs idle, 100.4–104.9 ms in 10 runs beside a busy process).
TEST(RunAll, TakesAboutOneTaskNotTheSum) {
  const auto nap = course::scaled(100ms);
  SleepyTasks sleepy(nap);
  const auto elapsed = course::time_once([&] { (void)run_all(sleepy.tasks); });
  course::record_figure("elapsed", course::format_millis(elapsed),
                        "< " + course::format_millis(course::generous(nap)));
  EXPECT_TRUE(course::took_at_least(elapsed, nap));
  EXPECT_TRUE(course::took_at_most(elapsed, course::generous(nap)))
      << fmt::format("3 tasks of {} took {}: ", course::format_millis(nap),
                     course::format_millis(elapsed))
      << (elapsed >= 3 * nap ? "they ran one after another — " : "") << kTrap << "\n"
      << sleepy.recorder.timeline();
}

TEST(RunAll, HandlesNoTasks) {
  EXPECT_TRUE(run_all({}).empty());
}

TEST(RunAll, WaitsForEveryTaskThenRethrowsTheException) {
  std::atomic<bool> slow_task_finished{false};
  const std::vector<Task> tasks{
      [&] {
        std::this_thread::sleep_for(course::scaled(30ms));
        slow_task_finished = true;
        return 0;
      },
      []() -> int { throw std::runtime_error("task 1 failed"); },
  };
  try {
    (void)run_all(tasks);
    ADD_FAILURE() << "task 1 threw, so run_all must throw";
  } catch (const std::runtime_error& error) {
    EXPECT_STREQ(error.what(), "task 1 failed") << "the task's own exception";
  }
  EXPECT_TRUE(slow_task_finished)
      << "run_all threw before task 0 had finished: wait for every thread first (a thread still "
         "running when run_all returns would outlive the tasks it uses)";
}

TEST(RunAll, RethrowsTheFirstTasksExceptionInTaskOrder) {
  // Task 2 throws at once; task 1 throws later. Task 1 comes first in the list.
  const std::vector<Task> tasks{
      [] { return 0; },
      []() -> int {
        std::this_thread::sleep_for(course::scaled(30ms));
        throw std::runtime_error("task 1");
      },
      []() -> int { throw std::runtime_error("task 2"); },
  };
  try {
    (void)run_all(tasks);
    ADD_FAILURE() << "tasks threw, so run_all must throw";
  } catch (const std::runtime_error& error) {
    EXPECT_STREQ(error.what(), "task 1")
        << "the exception of the first task in the list that threw, not of the first to throw";
  }
}

}  // namespace
