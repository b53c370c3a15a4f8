// Exercise 7.8 (bonus): green threads — stackful coroutines on ucontext.
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <course/loop_clock.hpp>
#include <course/testing.hpp>

#include "green_threads.hpp"
#include "loop_testing.hpp"

namespace {

using namespace std::chrono_literals;
using loop_testing::at;
using loop_testing::Strings;
using loop_testing::Trace;

// ThreadSanitizer keeps a shadow of each thread's stack and cannot follow a switch to another
// stack that nobody announced to it (__tsan_switch_to_fiber); 7.8 has one thread anyway.
#define SKIP_UNDER_THREAD_SANITIZER()                                                           \
  if (course::sanitizer() == "thread") {                                                        \
    GTEST_SKIP() << "ThreadSanitizer cannot follow ucontext's stack switches unannounced, and " \
                    "green threads all run on one thread: nothing for it to find";              \
  }                                                                                             \
  static_assert(true, "a semicolon after SKIP_UNDER_THREAD_SANITIZER() is needed")

// Written as blocking code: no co_await, no Task, a sleep three calls deep.
void wait_for_the_network(std::chrono::milliseconds delay) {
  green::sleep_for(delay);
}
std::string ask_the_server(int id, std::chrono::milliseconds delay) {
  wait_for_the_network(delay);
  return fmt::format("user {}", id);
}
std::string fetch_user(int id, std::chrono::milliseconds delay) {
  return ask_the_server(id, delay);
}

TEST(GreenThreads, ThreeUsersWrittenAsBlockingCodeTakeOneDelay) {
  SKIP_UNDER_THREAD_SANITIZER();
  course::set_deadline(std::chrono::seconds(5));
  course::ManualClock clock;
  green::Scheduler scheduler(clock);
  Trace trace(clock);
  for (int id = 1; id <= 3; ++id) {
    scheduler.spawn([id, &trace] { trace.add(fetch_user(id, 100ms)); });
  }
  EXPECT_EQ(trace.entries(), Strings{}) << "spawn() only schedules: run() runs them";
  scheduler.run();
  EXPECT_EQ(trace.entries(), (Strings{"user 1@100ms", "user 2@100ms", "user 3@100ms"}))
      << "three green threads sleeping 100 ms at once end together, in the order they slept: "
         "green::sleep_for, deep in ordinary calls, switched to the next thread instead of "
         "blocking";
  EXPECT_EQ(at(clock.now()), "100ms");
  EXPECT_EQ(clock.waits().size(), 1U) << "all three asleep: one wait for the first to wake";
}

TEST(GreenThreads, TwoLoopsTakeTurnsAtEverySleep) {
  SKIP_UNDER_THREAD_SANITIZER();
  course::set_deadline(std::chrono::seconds(5));
  course::ManualClock clock;
  green::Scheduler scheduler(clock);
  Trace trace(clock);
  const auto display = [&trace](const std::string& name, std::chrono::milliseconds every) {
    for (int i = 0; i < 3; ++i) {
      trace.add(name);
      green::sleep_for(every);
    }
  };
  scheduler.spawn([&] { display("Loop 1", 30ms); });
  scheduler.spawn([&] { display("Loop 2", 20ms); });
  scheduler.run();
  EXPECT_EQ(trace.entries(), (Strings{"Loop 1@0ms", "Loop 2@0ms", "Loop 2@20ms", "Loop 1@30ms",
                                      "Loop 2@40ms", "Loop 1@60ms"}))
      << "the notebooks' two display_date loops, as green threads";
  EXPECT_EQ(at(clock.now()), "90ms");
}

// Each level keeps a value on its own stack frame; the sleep at the bottom switches to the
// other thread, whose frames are on another stack. If the two shared a stack, one would
// overwrite the other's frames.
long sum_down(int depth, int scale) {
  volatile long mine = static_cast<long>(depth) * scale;  // really on this frame
  if (depth == 0) {
    green::sleep_for(1ms);
    return mine;
  }
  return mine + sum_down(depth - 1, scale);
}

TEST(GreenThreads, EachHasItsOwnStackThroughADeepRecursion) {
  SKIP_UNDER_THREAD_SANITIZER();
  course::set_deadline(std::chrono::seconds(5));
  const course::CrashNote crash(
      "a green thread crashed: does every one have a stack of its own (uc_stack), which stays "
      "alive until it has ended and the scheduler runs on its own stack again?");
  course::ManualClock clock;
  green::Scheduler scheduler(clock);
  long first = 0;
  long second = 0;
  scheduler.spawn([&first] { first = sum_down(200, 1); });
  scheduler.spawn([&second] { second = sum_down(200, 1000); });
  scheduler.run();
  EXPECT_EQ(first, 200L * 201 / 2) << "each level's value came back from its own frame";
  EXPECT_EQ(second, 1000L * 200 * 201 / 2);
}

TEST(GreenThreads, AnExceptionLeavesRunAfterTheOthersHaveEnded) {
  SKIP_UNDER_THREAD_SANITIZER();
  course::set_deadline(std::chrono::seconds(5));
  course::ManualClock clock;
  green::Scheduler scheduler(clock);
  bool other_ended = false;
  scheduler.spawn([] {
    green::sleep_for(10ms);
    throw std::runtime_error("the server said no");
  });
  scheduler.spawn([&other_ended] {
    green::sleep_for(50ms);
    other_ended = true;
  });
  try {
    scheduler.run();
    ADD_FAILURE() << "run() must rethrow the exception that left a green thread";
  } catch (const std::runtime_error& error) {
    EXPECT_STREQ(error.what(), "the server said no");
  }
  EXPECT_TRUE(other_ended) << "the other green thread still ran to its end before run() threw";
  EXPECT_EQ(at(clock.now()), "50ms");
}

TEST(GreenThreads, AStackIsFreedWhenItsThreadEnds) {
  SKIP_UNDER_THREAD_SANITIZER();
  course::set_deadline(std::chrono::seconds(5));
  course::ManualClock clock;
  green::Scheduler scheduler(clock);
  std::vector<std::size_t> seen;
  for (int i = 0; i < 100; ++i) {
    scheduler.spawn([i, &scheduler, &seen] {
      green::sleep_for(std::chrono::milliseconds(i));
      seen.push_back(scheduler.stacks_allocated());
    });
  }
  EXPECT_EQ(scheduler.stacks_allocated(), 100U) << "one stack for each green thread spawned";
  scheduler.run();
  ASSERT_EQ(seen.size(), 100U);
  EXPECT_EQ(seen.front(), 100U) << "the first to wake: every thread still alive";
  EXPECT_EQ(seen.back(), 1U) << "the last to wake: the 99 others ended, and their stacks freed";
  EXPECT_EQ(scheduler.stacks_allocated(), 0U);
}

TEST(GreenThreads, OutsideAGreenThreadSleepReallySleeps) {
  course::set_deadline(std::chrono::seconds(5));
  const course::Millis took = course::time_once([] { green::sleep_for(20ms); });
  EXPECT_TRUE(course::took_at_least(took, 20ms))
      << "outside a scheduler's green thread, green::sleep_for is std::this_thread::sleep_for";
}

}  // namespace
