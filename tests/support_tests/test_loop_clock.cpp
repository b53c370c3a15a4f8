// The loop clocks of chapters/common/course/loop_clock.hpp, which chapters 5, 7 and 8 build on.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include <course/loop_clock.hpp>

namespace {

using namespace std::chrono_literals;
using course::LoopClock;

TEST(ManualClock, StartsAtZeroAndMovesOnlyWhenTold) {
  course::ManualClock clock;
  EXPECT_EQ(clock.elapsed(), 0ns);
  std::this_thread::sleep_for(2ms);
  EXPECT_EQ(clock.elapsed(), 0ns) << "real time passing does not move it";
  clock.advance(15ms);
  EXPECT_EQ(clock.elapsed(), 15ms);
  EXPECT_EQ(clock.now(), LoopClock::time_point{} + 15ms);
}

TEST(ManualClock, AWaitJumpsToItsDeadlineAtOnceAndNeverBack) {
  course::ManualClock clock;
  std::mutex mutex;
  std::condition_variable wake;
  std::unique_lock lock(mutex);
  const auto start = std::chrono::steady_clock::now();
  clock.wait_until(lock, wake, LoopClock::time_point{} + 1h);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s) << "an hour's wait takes no time";
  EXPECT_EQ(clock.elapsed(), 1h);
  clock.wait_until(lock, wake, LoopClock::time_point{} + 5ms);
  EXPECT_EQ(clock.elapsed(), 1h) << "a deadline in the past does not move it back";
  ASSERT_EQ(clock.waits().size(), 2U);
  EXPECT_EQ(clock.waits()[0], LoopClock::time_point{} + 1h);
  EXPECT_EQ(clock.waits()[1], LoopClock::time_point{} + 5ms);
  EXPECT_TRUE(lock.owns_lock());
}

TEST(SteadyLoopClock, WaitsUntilTheDeadlineOrANotification) {
  LoopClock& clock = course::steady_loop_clock();
  std::mutex mutex;
  std::condition_variable wake;
  std::unique_lock lock(mutex);
  const auto deadline = clock.now() + 20ms;
  while (clock.now() < deadline) clock.wait_until(lock, wake, deadline);
  EXPECT_GE(clock.now(), deadline);

  bool notified = false;
  std::jthread notifier([&] {
    std::this_thread::sleep_for(10ms);
    const std::lock_guard guard(mutex);
    notified = true;
    wake.notify_one();
  });
  const auto start = clock.now();
  while (!notified) clock.wait_until(lock, wake, start + 10s);
  EXPECT_LT(clock.now() - start, 5s) << "a notification ends the wait long before its deadline";
  EXPECT_TRUE(lock.owns_lock());
}

}  // namespace
