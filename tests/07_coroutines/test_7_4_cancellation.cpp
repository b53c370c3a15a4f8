// Exercise 7.4: cancellation at the next suspension point, and wait_for.
#include <chrono>
#include <stdexcept>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <course/loop_clock.hpp>
#include <course/testing.hpp>

#include "event_loop.hpp"
#include "loop_testing.hpp"
#include "sleep.hpp"
#include "task.hpp"
#include "timeout.hpp"

namespace {

using namespace std::chrono_literals;
using coro::EventLoop;
using coro::Task;
using loop_testing::answer_after;
using loop_testing::at;
using loop_testing::Guard;
using loop_testing::run_on;

Task<int> sleeps_an_hour(int& started, int& released) {
  ++started;
  const Guard guard(released);
  co_await coro::sleep(1h);
  co_return 1;
}

Task<std::string> cancels_a_sleeper(int& started, int& released, EventLoop& loop,
                                    std::size_t& timers_after) {
  auto sleeper = coro::spawn(sleeps_an_hour(started, released));
  co_await coro::sleep(10ms);
  EXPECT_TRUE(sleeper.cancel()) << "a task that has not ended can be cancelled";
  try {
    (void)co_await sleeper;
  } catch (const coro::Cancelled&) {
    timers_after = loop.timers_set();
    co_return "cancelled";
  }
  co_return "not cancelled";
}

TEST(Cancel, ASleepingTaskIsToldAtItsSleepAndUnwinds) {
  course::ManualClock clock;
  EventLoop loop(clock);
  int started = 0;
  int released = 0;
  std::size_t timers_after = 99;
  EXPECT_EQ(run_on(loop, clock, cancels_a_sleeper(started, released, loop, timers_after)),
            "cancelled")
      << "co_await of a cancelled task throws coro::Cancelled";
  EXPECT_EQ(released, 1) << "Cancelled was thrown inside the task, at its sleep: its guard was "
                            "destroyed as the exception unwound it";
  EXPECT_EQ(at(clock.now()), "10ms") << "the cancelled task ended at once, not after its hour";
  EXPECT_EQ(timers_after, 0U) << "its timer left the loop: nothing wakes later for nothing";
}

Task<int> catches_cancel(int& told) {
  try {
    co_await coro::sleep(1h);
  } catch (const coro::Cancelled&) {
    ++told;
  }
  co_await coro::sleep(5ms);  // it may go on after it was told
  co_return -1;
}

Task<int> cancels_a_catcher(int& told) {
  auto catcher = coro::spawn(catches_cancel(told));
  co_await coro::sleep(1ms);
  catcher.cancel();
  co_return co_await catcher;
}

TEST(Cancel, ATaskMayCatchCancelledAndGoOn) {
  course::ManualClock clock;
  EventLoop loop(clock);
  int told = 0;
  EXPECT_EQ(run_on(loop, clock, cancels_a_catcher(told)), -1);
  EXPECT_EQ(told, 1) << "Cancelled is thrown once, at the suspension the task waited in";
  EXPECT_EQ(at(clock.now()), "6ms") << "its next sleep is not cancelled again";
}

Task<std::string> cancels_before_the_start(int& started, int& released) {
  auto never = coro::spawn(sleeps_an_hour(started, released));
  never.cancel();
  try {
    (void)co_await never;
  } catch (const coro::Cancelled&) {
    co_return "cancelled";
  }
  co_return "not cancelled";
}

TEST(Cancel, ATaskCancelledBeforeItStartsNeverRuns) {
  course::ManualClock clock;
  EventLoop loop(clock);
  int started = 0;
  int released = 0;
  EXPECT_EQ(run_on(loop, clock, cancels_before_the_start(started, released)), "cancelled");
  EXPECT_EQ(started, 0) << "cancelled before the loop started it, its body never ran";
}

Task<int> quick() {
  co_return 7;
}

Task<bool> cancels_an_ended_task() {
  auto ended = coro::spawn(quick());
  const int value = co_await ended;
  co_return !ended.cancel() && value == 7;
}

TEST(Cancel, AnEndedTaskCannotBeCancelled) {
  course::ManualClock clock;
  EventLoop loop(clock);
  EXPECT_TRUE(run_on(loop, clock, cancels_an_ended_task()))
      << "cancel() of a task that has ended returns false and changes nothing";
}

TEST(WaitFor, GivesTheResultOfATaskThatEndsInTime) {
  course::ManualClock clock;
  EventLoop loop(clock);
  EXPECT_EQ(run_on(loop, clock, coro::wait_for(answer_after(30ms), 50ms)), 42);
  EXPECT_EQ(at(clock.now()), "30ms") << "wait_for does not wait for its limit when the task ends";
  EXPECT_EQ(loop.timers_set(), 0U) << "the limit's timer left the loop with the task's end";
}

Task<std::string> times_out(int& started, int& released) {
  try {
    (void)co_await coro::wait_for(sleeps_an_hour(started, released), 50ms);
  } catch (const coro::TimeoutError&) {
    co_return "timed out";
  }
  co_return "no timeout";
}

TEST(WaitFor, ATaskPastItsLimitIsCancelledAndItTimesOut) {
  course::ManualClock clock;
  EventLoop loop(clock);
  int started = 0;
  int released = 0;
  EXPECT_EQ(run_on(loop, clock, times_out(started, released)), "timed out")
      << "past its limit, wait_for throws coro::TimeoutError";
  EXPECT_EQ(released, 1) << "and the task was cancelled: its guard was destroyed";
  EXPECT_EQ(at(clock.now()), "50ms");
  EXPECT_EQ(loop.timers_set(), 0U) << "the task's hour-long timer left the loop";
}

}  // namespace
