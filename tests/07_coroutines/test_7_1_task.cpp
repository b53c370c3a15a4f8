// Exercise 7.1: Task<T>, lazy, awaitable, value-or-exception, symmetric transfer.
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>

#include <gtest/gtest.h>

#include <course/testing.hpp>

#include "run_synchronously.hpp"
#include "task.hpp"

namespace {

using coro::Task;
using coro_testing::run_synchronously;

// The notebooks' `async def hello(): print("hello")`, counting instead of printing.
Task<int> hello(int& ran) {
  ++ran;
  co_return 42;
}

TEST(Task, CallingACoroutineRunsNothing) {
  int ran = 0;
  auto coroutine = hello(ran);
  EXPECT_EQ(ran, 0) << "calling hello() only makes the coroutine object (Python: <coroutine "
                       "object hello>); its body runs when it is awaited — initial_suspend "
                       "must suspend";
  EXPECT_EQ(run_synchronously(std::move(coroutine)), 42);
  EXPECT_EQ(ran, 1) << "awaited, the body runs once";
}

Task<int> add(int a, int b) {
  co_return a + b;
}

// "Async functions awaiting async functions".
Task<int> add_three_times(int& steps) {
  const int x = co_await add(1, 2);
  ++steps;
  const int y = co_await add(x, 10);
  ++steps;
  co_return y + co_await add(0, 100);
}

TEST(Task, CoAwaitGivesWhatTheTaskReturned) {
  int steps = 0;
  EXPECT_EQ(run_synchronously(add_three_times(steps)), 113)
      << "co_await add(1, 2) is 3, co_await add(3, 10) is 13, plus co_await add(0, 100)";
  EXPECT_EQ(steps, 2);
}

Task<int> fails() {
  throw std::runtime_error("the server said no");
  co_return 0;  // NOLINT: unreachable, but it makes this function a coroutine
}

Task<std::string> catches() {
  try {
    (void)co_await fails();
    co_return "no exception";
  } catch (const std::runtime_error& error) {
    co_return std::string("caught: ") + error.what();
  }
}

Task<int> lets_it_through(int& after) {
  const int value = co_await fails();
  ++after;
  co_return value;
}

TEST(Task, AnExceptionIsRethrownWhereTheTaskIsAwaited) {
  EXPECT_EQ(run_synchronously(catches()), "caught: the server said no")
      << "the exception that left the task must be thrown by the co_await, in the awaiting "
         "coroutine (unhandled_exception keeps it; await_resume rethrows it)";
  int after = 0;
  EXPECT_THROW((void)run_synchronously(lets_it_through(after)), std::runtime_error)
      << "uncaught, it leaves the awaiting coroutine too";
  EXPECT_EQ(after, 0) << "nothing after the failed co_await runs";
}

Task<> set_flag(bool& flag) {
  flag = true;
  co_return;
}

Task<> fails_void() {
  throw std::invalid_argument("bad");
  co_return;  // NOLINT: unreachable
}

Task<int> uses_void_tasks(bool& flag) {
  co_await set_flag(flag);
  try {
    co_await fails_void();
  } catch (const std::invalid_argument&) {
    co_return 1;
  }
  co_return 0;
}

TEST(Task, VoidTasksEndOrThrow) {
  bool flag = false;
  EXPECT_EQ(run_synchronously(uses_void_tasks(flag)), 1)
      << "a Task<void>'s exception is rethrown at its co_await too";
  EXPECT_TRUE(flag);
}

// Not copyable, not movable: a Task<Heavy&> can only give the object itself.
struct Heavy {
  int value = 7;
  Heavy() = default;
  Heavy(const Heavy&) = delete;
  Heavy& operator=(const Heavy&) = delete;
};

Task<Heavy&> find(Heavy& in) {
  co_return in;
}

Task<const Heavy*> address_through(Heavy& in) {
  Heavy& found = co_await find(in);
  co_return &found;
}

TEST(Task, AReferenceTaskGivesTheObjectItself) {
  Heavy heavy;
  EXPECT_EQ(run_synchronously(address_through(heavy)), &heavy)
      << "co_await of a Task<T&> is the very object co_returned, not a copy";
}

Task<int> keeps(std::shared_ptr<int> kept) {
  co_return *kept;
}

TEST(Task, IsMoveOnlyAndOwnsItsFrame) {
  static_assert(!std::is_copy_constructible_v<Task<int>>, "a Task owns its frame: no copies");
  static_assert(std::is_nothrow_move_constructible_v<Task<int>>);
  auto kept = std::make_shared<int>(5);
  {
    auto task = keeps(kept);
    EXPECT_EQ(kept.use_count(), 2) << "the parameter lives in the coroutine's frame";
    auto moved = std::move(task);
    EXPECT_EQ(kept.use_count(), 2) << "a move hands the frame over; it does not copy it";
    testing::internal::CaptureStderr();  // (the never-awaited warning, tested below)
    moved = keeps(kept);
    (void)testing::internal::GetCapturedStderr();
    EXPECT_EQ(kept.use_count(), 2) << "assigning over a Task destroys the frame it had";
    EXPECT_EQ(run_synchronously(std::move(moved)), 5);
  }
  EXPECT_EQ(kept.use_count(), 1) << "a destroyed Task destroys its frame, and the parameters in it";

  Task<int> empty;
  EXPECT_THROW((void)run_synchronously(std::move(empty)), std::logic_error)
      << "co_await of a Task without a frame (default-made or moved from) is a std::logic_error";
}

// Where the machine stack is now: the frame of a function that is never inlined.
[[gnu::noinline]] std::uintptr_t stack_position() {
  return reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
}

Task<int> one(std::uintptr_t& stack_at) {
  stack_at = stack_position();
  co_return 1;
}

Task<long> sum_of_ones(int count, std::uintptr_t& stack_at_first, std::uintptr_t& stack_at_last) {
  long sum = 0;
  for (int i = 0; i < count; ++i) sum += co_await one(i == 0 ? stack_at_first : stack_at_last);
  co_return sum;
}

// Without symmetric transfer, each ended `one()` resumes the loop by calling resume() from
// inside its own final_suspend: the loop's next iteration runs one call deeper — 16 bytes of
// stack per co_await here, so the default 8 MiB stack overflows at about 524 000 (g++ 12 and
// clang 14, -O2). Whatever the stack's size, the test also compares where the stack is in the
// first and in the last of the million tasks.
TEST(Task, AMillionAwaitsInALoopNeedNoMoreStackThanOne) {
  if (course::sanitizer() == "thread") {
    GTEST_SKIP() << "under ThreadSanitizer, g++ cannot turn symmetric transfer into a jump (the "
                    "sanitizer's hook at every function's exit forbids tail calls), so a "
                    "million co_awaits nest a million calls in any Task; the other builds test it";
  }
#ifndef __clang__
  if (course::sanitizer() == "address") {
    GTEST_SKIP() << "under AddressSanitizer, g++ 12 makes no jump of symmetric transfer either "
                    "(about 900 bytes of stack per co_await), so a million co_awaits overflow "
                    "in any Task; the plain build and clang's ASan build test it";
  }
#endif
  course::set_deadline(std::chrono::seconds(20));
  const course::CrashNote crash(
      "a million co_awaits in a loop overflowed the stack: when a task ends, final_suspend must "
      "return the awaiting coroutine's handle from await_suspend (symmetric transfer), not call "
      "resume() on it — and await_suspend of the Task's awaiter must return the task's handle");
  std::uintptr_t first = 0;
  std::uintptr_t last = 0;
  EXPECT_EQ(run_synchronously(sum_of_ones(1'000'000, first, last)), 1'000'000);
  const auto grew = first > last ? first - last : last - first;
  EXPECT_LT(grew, 4096U) << "between the first and the millionth co_await the stack grew by "
                         << grew << " bytes: each co_await nests a call in the one before "
                         << "(symmetric transfer returns handles from await_suspend instead)";
}

TEST(Task, ADestroyedTaskThatNeverRanSaysSo) {
  int ran = 0;
  testing::internal::CaptureStderr();
  { auto forgotten = hello(ran); }
  const std::string forgotten_said = testing::internal::GetCapturedStderr();
  EXPECT_NE(forgotten_said.find("never"), std::string::npos)
      << "a Task destroyed before anything awaited it must call coro::report_never_awaited() "
         "(Python: \"coroutine 'hello' was never awaited\"); stderr had: \""
      << forgotten_said << "\"";
  EXPECT_EQ(ran, 0);

  testing::internal::CaptureStderr();
  EXPECT_EQ(run_synchronously(hello(ran)), 42);
  {
    Task<int> moved_from = hello(ran);
    auto taker = std::move(moved_from);
    (void)run_synchronously(std::move(taker));
  }
  const std::string awaited_said = testing::internal::GetCapturedStderr();
  EXPECT_EQ(awaited_said, "") << "an awaited task, and a moved-from one, say nothing";
}

}  // namespace
