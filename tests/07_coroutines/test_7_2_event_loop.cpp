// Exercise 7.2: the event loop — a ready queue, timers, sleep, spawn and run.
#include <chrono>
#include <coroutine>
#include <stdexcept>
#include <string>
#include <vector>

#include <sys/resource.h>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <course/loop_clock.hpp>
#include <course/testing.hpp>

#include "event_loop.hpp"
#include "loop_testing.hpp"
#include "run_synchronously.hpp"
#include "sleep.hpp"
#include "task.hpp"

namespace {

using namespace std::chrono_literals;
using coro::EventLoop;
using coro::Task;
using loop_testing::answer_after;
using loop_testing::at;
using loop_testing::Guard;
using loop_testing::run_on;
using loop_testing::Strings;
using loop_testing::Trace;

TEST(EventLoop, RunGivesTheMainTasksValueAfterItsSleep) {
  course::ManualClock clock;
  EventLoop loop(clock);
  EXPECT_EQ(run_on(loop, clock, answer_after(100ms)), 42)
      << "asyncio.run(main()) gives what main returned";
  EXPECT_EQ(at(clock.now()), "100ms") << "sleep(100ms) parks the task on a timer 100 ms ahead";
  ASSERT_EQ(clock.waits().size(), 1U)
      << "with nothing else to do, the loop waits once, through its clock, for the timer";
  EXPECT_EQ(at(clock.waits()[0]), "100ms");
}

Task<int> fails_after(std::chrono::milliseconds delay) {
  co_await coro::sleep(delay);
  throw std::runtime_error("timed out upstream");
}

TEST(EventLoop, RunRethrowsTheMainTasksException) {
  course::ManualClock clock;
  EventLoop loop(clock);
  EXPECT_THROW((void)run_on(loop, clock, fails_after(10ms)), std::runtime_error);
  EXPECT_EQ(run_on(loop, clock, answer_after(5ms)), 42) << "and the loop can run again after";
}

// The notebooks' display_date, with fixed naps: prints its number and the time, then sleeps.
Task<> display_date(int num, std::chrono::milliseconds nap, int times, Trace& trace) {
  for (int i = 0; i < times; ++i) {
    trace.add(fmt::format("Loop {}", num));
    co_await coro::sleep(nap);
  }
}

Task<> two_loops(Trace& trace) {
  auto first = coro::spawn(display_date(1, 30ms, 3, trace));
  auto second = coro::spawn(display_date(2, 20ms, 3, trace));
  co_await first;
  co_await second;
}

TEST(EventLoop, TheNotebooksTwoDisplayDateLoopsInterleave) {
  course::ManualClock clock;
  EventLoop loop(clock);
  Trace trace(clock);
  run_on(loop, clock, two_loops(trace));
  EXPECT_EQ(trace.entries(), (Strings{"Loop 1@0ms", "Loop 2@0ms", "Loop 2@20ms", "Loop 1@30ms",
                                      "Loop 2@40ms", "Loop 1@60ms"}))
      << "two tasks spawned on one loop, napping 30 and 20 ms: each runs while the other sleeps; "
         "the two ready together at 0 ms run in the order they were spawned (the ready queue is "
         "first in, first out)";
  EXPECT_EQ(at(clock.now()), "90ms") << "main ends when both have: the last nap ends at 90 ms";
}

Task<std::string> fetch_user(int id, std::chrono::milliseconds delay) {
  co_await coro::sleep(delay);
  co_return fmt::format("user {}", id);
}

Task<Strings> one_after_another() {
  Strings users;
  for (int id = 1; id <= 3; ++id) users.push_back(co_await fetch_user(id, 100ms));
  co_return users;
}

Task<Strings> all_at_once() {
  std::vector<coro::JoinHandle<std::string>> started;
  for (int id = 1; id <= 3; ++id) started.push_back(coro::spawn(fetch_user(id, 100ms)));
  Strings users;
  for (auto& user : started) users.push_back(co_await user);
  co_return users;
}

TEST(EventLoop, ThreeUsersTakeThreeDelaysAwaitedInTurnAndOneSpawned) {
  const Strings expected{"user 1", "user 2", "user 3"};
  {
    course::ManualClock clock;
    EventLoop loop(clock);
    EXPECT_EQ(run_on(loop, clock, one_after_another()), expected);
    EXPECT_EQ(at(clock.now()), "300ms") << "awaited one after another, three delays add up";
  }
  {
    course::ManualClock clock;
    EventLoop loop(clock);
    EXPECT_EQ(run_on(loop, clock, all_at_once()), expected)
        << "the results come in the order the tasks were spawned";
    EXPECT_EQ(at(clock.now()), "100ms")
        << "spawned first and awaited after, the three waits overlap: one delay in all";
  }
}

Task<int> waits_units(int units, Trace& trace) {
  co_await coro::sleep(units * 10ms);
  trace.add(fmt::format("waited {}", units));
  co_return units;
}

Task<int> five_tasks(Trace& trace) {
  std::vector<coro::JoinHandle<int>> tasks;
  for (int i = 0; i < 5; ++i) tasks.push_back(coro::spawn(waits_units(3, trace)));
  int total = 0;
  for (auto& task : tasks) total += co_await task;
  co_return total;
}

TEST(EventLoop, FiveTasksOfThreeUnitsTakeThreeUnits) {
  course::ManualClock clock;
  EventLoop loop(clock);
  Trace trace(clock);
  EXPECT_EQ(run_on(loop, clock, five_tasks(trace)), 15);
  EXPECT_EQ(at(clock.now()), "30ms")
      << "5 tasks of 3 units spawned, then awaited, take 3 units, not 15";
  EXPECT_EQ(trace.entries(), Strings(5, "waited 3@30ms"));
  EXPECT_EQ(clock.waits().size(), 1U) << "five timers due at the same time: one wait for all";
}

Task<> records(std::string label, std::chrono::milliseconds delay, Trace& trace) {
  co_await coro::sleep(delay);
  trace.add(label);
}

Task<> spawns_in_order(Trace& trace) {
  auto a = coro::spawn(records("a", 10ms, trace));
  auto b = coro::spawn(records("b", 0ms, trace));
  auto c = coro::spawn(records("c", 10ms, trace));
  auto d = coro::spawn(records("d", 5ms, trace));
  trace.add("spawned");
  co_await a;
  co_await b;
  co_await c;
  co_await d;
}

TEST(EventLoop, SpawnedTasksStartWhenTheSpawnerWaitsAndTimersKeepTheirOrder) {
  course::ManualClock clock;
  EventLoop loop(clock);
  Trace trace(clock);
  run_on(loop, clock, spawns_in_order(trace));
  EXPECT_EQ(trace.entries(), (Strings{"spawned@0ms", "b@0ms", "d@5ms", "a@10ms", "c@10ms"}))
      << "spawn() only schedules a task: it starts once the spawner suspends; timers fire by "
         "time, and those due together in the order they were set";
}

Task<std::string> runs_the_loop_again(EventLoop& loop) {
  try {
    (void)loop.run(answer_after(1ms));
  } catch (const std::logic_error&) {
    co_return "refused";
  }
  co_return "ran it";
}

TEST(EventLoop, RunInsideARunningLoopIsAnError) {
  course::ManualClock clock;
  EventLoop loop(clock);
  EXPECT_EQ(run_on(loop, clock, runs_the_loop_again(loop)), "refused")
      << "run() while the loop is running is a std::logic_error (asyncio: \"This event loop is "
         "already running\"): a task co_awaits instead";
}

// An awaitable that nobody will ever resume.
struct Forever {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  void await_resume() const noexcept {}
};

Task<> waits_forever() {
  co_await Forever{};
}

TEST(EventLoop, AMainTaskThatNothingCanWakeIsAnErrorNotAHang) {
  course::set_deadline(std::chrono::seconds(5));
  course::ManualClock clock;
  EventLoop loop(clock);
  EXPECT_THROW(run_on(loop, clock, waits_forever()), std::runtime_error)
      << "no task ready, no timer set, and main not done: nothing can ever wake it — run() must "
         "say so with a std::runtime_error instead of waiting forever";
}

TEST(EventLoop, OutsideARunningLoopSleepIsAnError) {
  EXPECT_THROW(coro_testing::run_synchronously(answer_after(1ms)), std::logic_error)
      << "co_await coro::sleep() outside EventLoop::run has no loop to wait on (asyncio: \"no "
         "running event loop\")";
}

Task<> sleeps_an_hour(int& destroyed) {
  const Guard guard(destroyed);
  co_await coro::sleep(1h);
}

Task<int> leaves_two_tasks_behind(int& destroyed) {
  (void)coro::spawn(sleeps_an_hour(destroyed));
  co_await coro::sleep(1ms);
  (void)coro::spawn(sleeps_an_hour(destroyed));  // spawned, never run: main ends first
  co_return 1;
}

TEST(EventLoop, TasksLeftUnfinishedAreDestroyedWithTheLoop) {
  int destroyed = 0;
  std::string warnings;
  {
    course::ManualClock clock;
    EventLoop loop(clock);
    EXPECT_EQ(run_on(loop, clock, leaves_two_tasks_behind(destroyed)), 1);
    EXPECT_EQ(at(clock.now()), "1ms") << "run() returns when main ends, not when every task has";
    EXPECT_EQ(destroyed, 0) << "one spawned task is still asleep, the other never ran";
    testing::internal::CaptureStderr();
  }
  warnings = testing::internal::GetCapturedStderr();
  EXPECT_EQ(destroyed, 1) << "destroying the loop destroys the tasks it still holds: their "
                             "locals' destructors run (no leaked frame)";
  EXPECT_EQ(warnings, "") << "a spawned task is in the loop's charge, even if it never ran: "
                             "destroyed with the loop, it is no forgotten co_await (spawn marks "
                             "it started)";
}

// Measured on the 2-core machine: see the lesson. A loop that polls now() instead of waiting
// through its clock uses the whole wait in CPU time.
TEST(EventLoop, SleepsUntilTheNextTimerWithoutUsingTheCpu) {
  EventLoop loop;  // the real clock
  const auto delay = course::scaled(200ms);
  const course::Millis cpu_before = course::rusage_cpu_time(RUSAGE_THREAD);
  const course::Millis wall = course::time_once([&] {
    EXPECT_EQ(loop.run(answer_after(std::chrono::duration_cast<std::chrono::milliseconds>(delay))),
              42);
  });
  const course::Millis cpu = course::rusage_cpu_time(RUSAGE_THREAD) - cpu_before;
  course::record_figure("CPU while waiting", course::format_millis(cpu),
                        "< 10% of " + course::format_millis(wall));
  EXPECT_TRUE(course::took_at_least(wall, delay)) << "sleep(200ms) does not end sooner";
  EXPECT_LT(cpu, wall / 10) << "waiting " << course::format_millis(wall) << " for a timer used "
                            << course::format_millis(cpu)
                            << " of CPU: the loop must wait through its clock until the first "
                               "timer, not check the time over and over";
}

}  // namespace
