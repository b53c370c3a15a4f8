// Exercise 2.6: a thread pool with futures — the notebooks' ThreadPoolExecutor.
#include <atomic>
#include <exception>
#include <future>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <course/testing.hpp>

#include "thread_pool.hpp"

namespace {

using namespace std::chrono_literals;
using threads::is_done;
using threads::ThreadPool;

TEST(ThreadPool, SubmitReturnsAFutureOfTheResult) {
  ThreadPool pool(2);
  EXPECT_EQ(pool.size(), 2U);
  auto sum = pool.submit([](int a, int b) { return a + b; }, 2, 3);
  EXPECT_EQ(sum.get(), 5);
  auto greeting =
      pool.submit([](const std::string& name) { return "hello, " + name; }, std::string("pool"));
  EXPECT_EQ(greeting.get(), "hello, pool");
}

// The notebooks' return_after_5_secs: done() is false while the call runs, true once it is over.
TEST(ThreadPool, SubmitReturnsAtOnceAndTheFutureSaysWhenItIsDone) {
  ThreadPool pool(2);
  std::promise<void> release;
  std::future<std::string> future;
  {
    const course::DeadlineNote note(
        "submit() did not return while the call waited: did it run the call on the calling "
        "thread instead of queueing it for a worker?");
    future = pool.submit([ready = release.get_future()] {
      ready.wait();  // the call waits for the test to release it
      return std::string("hello");
    });
  }
  EXPECT_FALSE(is_done(future)) << "the call cannot be over: it waits to be released";
  release.set_value();
  {
    const course::DeadlineNote note(
        "the call never ran: do the workers take the jobs from the queue and run them?");
    future.wait();
  }
  EXPECT_TRUE(is_done(future));
  EXPECT_EQ(future.get(), "hello");
}

TEST(ThreadPool, TheFutureRethrowsTheCallsException) {
  std::exception_ptr rethrown;
  {
    ThreadPool pool(1);
    auto future = pool.submit([]() -> int { throw std::runtime_error("the call failed"); });
    try {
      (void)future.get();
      ADD_FAILURE() << "get() must rethrow the call's exception";
    } catch (...) {
      rethrown = std::current_exception();
    }
    EXPECT_EQ(pool.submit([] { return 1; }).get(), 1)
        << "a call that threw does not break the pool";
  }
  // The exception is read once the pool's threads are joined: the worker may drop its share of
  // the exception at any time before, and the count that orders the two lives in libstdc++,
  // where ThreadSanitizer cannot see it (it reported a race that is none).
  try {
    std::rethrow_exception(rethrown);
  } catch (const std::runtime_error& error) {
    EXPECT_STREQ(error.what(), "the call failed");
  }
}

TEST(ThreadPool, RunsAtMostItsWorkersAtOnceOnItsOwnThreads) {
  constexpr int kWorkers = 3;
  course::ActivityGauge gauge;
  std::mutex ids_mutex;
  std::set<std::thread::id> ids;
  {
    ThreadPool pool(kWorkers);
    std::vector<std::future<void>> futures;
    for (int i = 0; i < 12; ++i) {
      futures.push_back(pool.submit([&] {
        const auto active = gauge.enter();
        {
          const std::lock_guard lock(ids_mutex);
          ids.insert(std::this_thread::get_id());
        }
        std::this_thread::sleep_for(course::scaled(20ms));
      }));
    }
    for (auto& future : futures) future.get();
  }
  EXPECT_LE(gauge.peak(), kWorkers) << "more calls ran at once than the pool has workers";
  EXPECT_GE(gauge.peak(), 2)
      << "the workers never ran calls at the same time: does a worker run the job while it "
         "still holds the lock? Take the job under the lock, run it after unlocking";
  EXPECT_LE(ids.size(), static_cast<std::size_t>(kWorkers))
      << "calls ran on threads not of the pool";
  EXPECT_FALSE(ids.contains(std::this_thread::get_id()))
      << "no call may run on the caller's thread";
}

// The notebooks' Pool(5).map(f, [1, 2, 3]) == [1, 4, 9], with calls that finish out of order.
TEST(ThreadPool, MapKeepsTheOrderOfTheInputs) {
  ThreadPool pool(5);
  const auto square = [](int x) {
    std::this_thread::sleep_for(course::scaled((4 - x) * 10ms));  // 3 finishes first
    return x * x;
  };
  EXPECT_EQ(pool.map(square, std::vector<int>{1, 2, 3}), (std::vector<int>{1, 4, 9}));
  EXPECT_TRUE(pool.map(square, std::vector<int>{}).empty());
}

TEST(ThreadPool, ShutdownFinishesTheQueuedCalls) {
  std::atomic<int> ran{0};
  {
    ThreadPool pool(1);
    for (int i = 0; i < 5; ++i) {
      (void)pool.submit([&ran] {
        std::this_thread::sleep_for(course::scaled(5ms));
        ++ran;
      });
    }
    const course::DeadlineNote note(
        "the pool's destructor did not return: shutdown() must wake every worker, and a worker "
        "must leave its loop once the pool is stopping and no job is left");
  }  // the destructor: every queued call runs first
  EXPECT_EQ(ran, 5) << "the pool was destroyed with calls queued: they must run, not be dropped";
}

TEST(ThreadPool, SubmitAfterShutdownIsAnError) {
  ThreadPool pool(2);
  pool.shutdown();
  EXPECT_THROW((void)pool.submit([] { return 1; }), std::runtime_error);
  pool.shutdown();  // a second time does nothing
}

TEST(ThreadPool, NeedsAWorker) {
  EXPECT_THROW(ThreadPool(0), std::invalid_argument);
}

}  // namespace
