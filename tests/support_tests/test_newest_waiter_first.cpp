// course::NewestWaiterFirst: condition variables that wake their newest waiter first.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <course/newest_waiter_first.hpp>
#include <course/testing.hpp>

namespace {

using namespace std::chrono_literals;

// Threads that each wait for their own go, on one condition variable, in the order they were
// started; each is asleep before the next starts.
struct Waiters {
  std::mutex mutex;
  std::condition_variable changed;
  int go = 0;  // how many may go
  std::string woke;

  std::vector<std::jthread> threads;

  void start(char name) {
    std::atomic<int> id{0};
    threads.emplace_back([this, name, &id] {
      id = course::current_thread_id();
      std::unique_lock lock(mutex);
      // Unlike a ticket, any woken waiter may go: the order they wake in is the order they go.
      changed.wait(lock, [this] { return go > 0; });
      --go;
      woke += name;
    });
    while (id == 0) std::this_thread::yield();
    ASSERT_TRUE(course::wait_until_asleep({id}, course::stretched(2000ms)));
  }

  // Lets one go, and waits until it went.
  void release_one() {
    const std::size_t before = [this] {
      const std::lock_guard lock(mutex);
      ++go;
      return woke.size();
    }();
    changed.notify_one();
    for (int i = 0; i < 2000; ++i) {
      {
        const std::lock_guard lock(mutex);
        if (woke.size() > before) return;
      }
      std::this_thread::sleep_for(1ms);
    }
    FAIL() << "notify_one woke nobody";
  }
};

TEST(NewestWaiterFirst, NotifyOneWakesTheNewestWaiter) {
  course::set_deadline(10s);
  const course::NewestWaiterFirst newest_first;
  Waiters waiters;
  for (const char name : {'A', 'B', 'C'}) waiters.start(name);
  for (int i = 0; i < 3; ++i) waiters.release_one();
  waiters.threads.clear();
  EXPECT_EQ(waiters.woke, "CBA");
}

TEST(NewestWaiterFirst, NotifyAllWakesEveryone) {
  course::set_deadline(10s);
  const course::NewestWaiterFirst newest_first;
  Waiters waiters;
  for (const char name : {'A', 'B', 'C'}) waiters.start(name);
  {
    const std::lock_guard lock(waiters.mutex);
    waiters.go = 3;
  }
  waiters.changed.notify_all();
  waiters.threads.clear();
  EXPECT_EQ(waiters.woke.size(), 3U);
}

TEST(NewestWaiterFirst, ATimedWaitEndsAtItsTime) {
  course::set_deadline(10s);
  const course::NewestWaiterFirst newest_first;
  std::mutex mutex;
  std::condition_variable never;
  std::unique_lock lock(mutex);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(never.wait_for(lock, 30ms), std::cv_status::timeout);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 30ms);
  EXPECT_TRUE(lock.owns_lock());
}

TEST(NewestWaiterFirst, AWaiterFromItsTimeIsStillWokenAfterIt) {
  course::set_deadline(10s);
  Waiters waiters;
  {
    const course::NewestWaiterFirst newest_first;
    waiters.start('A');
  }
  waiters.release_one();
  waiters.threads.clear();
  EXPECT_EQ(waiters.woke, "A");
}

TEST(NewestWaiterFirst, WithoutItWaitersAreWokenAsUsual) {
  course::set_deadline(10s);
  Waiters waiters;
  for (const char name : {'A', 'B'}) waiters.start(name);
  waiters.release_one();
  waiters.release_one();
  waiters.threads.clear();
  EXPECT_EQ(waiters.woke.size(), 2U);
}

}  // namespace
