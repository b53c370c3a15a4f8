// Exercise 2.5: a bounded queue on a mutex and condition variables.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <latch>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include <time.h>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <course/testing.hpp>

#include "bounded_queue.hpp"

namespace {

using namespace std::chrono_literals;
using threads::BoundedQueue;

// Long enough for a thread that should be blocked to have run on, had it not been blocked.
const auto kWhile = course::scaled(50ms);

std::chrono::nanoseconds thread_cpu_time() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return std::chrono::seconds(now.tv_sec) + std::chrono::nanoseconds(now.tv_nsec);
}

TEST(BoundedQueue, IsFirstInFirstOut) {
  BoundedQueue<int> queue(3);
  EXPECT_TRUE(queue.push(1));
  EXPECT_TRUE(queue.push(2));
  EXPECT_TRUE(queue.push(3));
  EXPECT_EQ(queue.size(), 3U);
  EXPECT_EQ(queue.pop(), 1);
  EXPECT_EQ(queue.pop(), 2);
  EXPECT_EQ(queue.pop(), 3);
}

TEST(BoundedQueue, RefusesACapacityOfZero) {
  EXPECT_THROW(BoundedQueue<int>(0), std::invalid_argument)
      << "a queue that can hold nothing would block every push forever";
}

TEST(BoundedQueue, PushWaitsWhileTheQueueIsFull) {
  BoundedQueue<int> queue(2);
  std::atomic<int> pushed{0};
  std::jthread producer([&] {
    for (int i = 0; i < 3; ++i) {
      queue.push(i);
      ++pushed;
    }
  });
  std::this_thread::sleep_for(kWhile);
  EXPECT_EQ(pushed, 2) << "the queue holds 2: the third push must wait until there is room";
  EXPECT_EQ(queue.pop(), 0);
  producer.join();  // the pop made room: the third push goes through
  EXPECT_EQ(pushed, 3);
  EXPECT_EQ(queue.pop(), 1);
  EXPECT_EQ(queue.pop(), 2);
}

TEST(BoundedQueue, PopWaitsWhileTheQueueIsEmpty) {
  BoundedQueue<int> queue(2);
  std::atomic<bool> returned{false};
  std::optional<int> got;
  std::jthread consumer([&] {
    got = queue.pop();
    returned = true;
  });
  std::this_thread::sleep_for(kWhile);
  EXPECT_FALSE(returned) << "pop on an empty queue must wait for an item";
  queue.push(7);
  consumer.join();
  EXPECT_EQ(got, 7);
}

TEST(BoundedQueue, WaitingUsesNoCpu) {
  // A thread that waits on a condition variable sleeps; one that loops checking the queue
  // (busy-waiting) burns a whole CPU meanwhile. Measured on a shared 2-core machine: a waiting
  // pop used 0.0–0.7 ms of CPU in 100 ms, idle or beside a busy process; the bound is 10 ms.
  BoundedQueue<int> queue(1);
  std::chrono::nanoseconds consumer_cpu{};
  std::jthread consumer([&] {
    const auto before = thread_cpu_time();
    (void)queue.pop();
    consumer_cpu = thread_cpu_time() - before;
  });
  std::this_thread::sleep_for(2 * kWhile);
  queue.push(1);
  consumer.join();
  course::record_figure("cpu while waiting", course::format_millis(consumer_cpu),
                        "< " + course::format_millis(kWhile / 5));
  EXPECT_LT(consumer_cpu, kWhile / 5)
      << "pop waited " << course::format_millis(2 * kWhile) << " and used "
      << course::format_millis(consumer_cpu)
      << " of CPU meanwhile: it spun instead of sleeping. Wait on a condition variable.";
}

TEST(BoundedQueue, CloseWakesEveryWaitingThread) {
  BoundedQueue<int> queue(1);
  std::atomic<int> woken{0};
  {
    std::vector<std::jthread> consumers;
    for (int i = 0; i < 3; ++i) {
      consumers.emplace_back([&] {
        if (!queue.pop().has_value()) ++woken;
      });
    }
    std::this_thread::sleep_for(kWhile);
    EXPECT_EQ(woken, 0) << "nothing was pushed: every pop must still be waiting";
    const course::DeadlineNote note("close() left consumers waiting: wake every one (notify_all)");
    queue.close();
  }
  EXPECT_EQ(woken, 3) << "close() must wake every waiting pop, which then returns nullopt";
}

TEST(BoundedQueue, CloseWakesAWaitingProducerToo) {
  BoundedQueue<int> queue(1);
  queue.push(1);
  std::optional<bool> accepted;
  std::jthread producer([&] { accepted = queue.push(2); });
  std::this_thread::sleep_for(kWhile);
  queue.close();
  producer.join();
  EXPECT_EQ(accepted, false) << "a push waiting when the queue closes returns false";
}

TEST(BoundedQueue, AfterCloseItRefusesPushesAndDrainsWhatIsLeft) {
  BoundedQueue<int> queue(3);
  queue.push(1);
  queue.push(2);
  queue.close();
  EXPECT_FALSE(queue.push(3)) << "no pushes after close()";
  EXPECT_EQ(queue.pop(), 1) << "what was pushed before close() is still handed out";
  EXPECT_EQ(queue.pop(), 2);
  EXPECT_EQ(queue.pop(), std::nullopt) << "closed and empty: pop returns at once, with nullopt";
}

// A consumer woken for an item that another consumer took first must wait again, not return:
// the queue is still open. A pop that waits with an `if` instead of a loop (or a predicate)
// returns nullopt here. The waiting consumer is asleep in pop() before each item is pushed, and
// the test's thread pops right after its push, before the woken consumer can run: it takes the
// item nearly every round (when the consumer wins, it hands the item back).
TEST(BoundedQueue, AWakeUpTakenByAnotherConsumerIsNotTheEnd) {
  constexpr int kRounds = 200;
  constexpr int kHandedBack = -1;
  BoundedQueue<int> queue(4);
  std::atomic<int> consumer_id{0};
  std::atomic<bool> ended_early{false};
  std::atomic<int> consumer_won{0};
  {
    std::jthread consumer([&] {
      consumer_id = course::current_thread_id();
      while (auto item = queue.pop()) {
        ++consumer_won;
        queue.push(kHandedBack);  // the test's thread is waiting in pop() for it:
        while (queue.size() > 0) std::this_thread::yield();  // let it take it, not this one
      }
      ended_early = true;
    });
    while (consumer_id == 0) std::this_thread::yield();
    for (int round = 0; round < kRounds && !ended_early; ++round) {
      ASSERT_TRUE(course::wait_until_asleep({consumer_id}, course::stretched(2000ms)))
          << "the consumer never waited in pop() on the empty queue";
      if (ended_early) break;
      queue.push(round);
      (void)queue.pop();  // this thread takes the item, or the consumer's kHandedBack
    }
    EXPECT_FALSE(ended_early)
        << "pop() returned nullopt while the queue was open: a consumer woken for an item that "
           "another took first must wait again. Wait with a loop (or wait(lock, predicate)), "
           "not an if";
    queue.close();
  }
  // Figures for the curious: how often the woken consumer beat the test's thread to the item.
  std::printf("the consumer won %d of %d rounds\n", consumer_won.load(), kRounds);
}

TEST(BoundedQueue, ManyProducersAndConsumersLoseNothing) {
  constexpr int kProducers = 4;
  constexpr int kConsumers = 4;
  constexpr int kEach = 5'000;
  BoundedQueue<int> queue(8);
  std::vector<std::vector<int>> received(kConsumers);
  {
    std::vector<std::jthread> consumers;
    std::vector<int> ids(kConsumers, 0);
    std::latch started(kConsumers);
    for (int c = 0; c < kConsumers; ++c) {
      consumers.emplace_back([&, c] {
        ids[static_cast<std::size_t>(c)] = course::current_thread_id();
        started.count_down();
        auto& mine = received[static_cast<std::size_t>(c)];
        while (auto item = queue.pop()) mine.push_back(*item);
      });
    }
    started.wait();
    {
      std::vector<std::jthread> producers;
      for (int p = 0; p < kProducers; ++p) {
        producers.emplace_back([&queue, p] {
          for (int i = 0; i < kEach; ++i) queue.push(p * kEach + i);
        });
      }
      const course::DeadlineNote note(
          "the producers never finished: is a push waiting for room that a pop should have made "
          "(wake a producer after each pop)?");
    }  // every item is pushed
    // close() with every consumer asleep in pop(), every time: a close() that wakes only one of
    // them then hangs this test every run, not only when the consumers happen to be waiting.
    while (queue.size() > 0) std::this_thread::yield();
    if (!course::wait_until_asleep(ids, course::stretched(2000ms))) {
      ADD_FAILURE() << "the consumers did not all wait in pop() on the empty queue";
    }
    queue.close();
    const course::DeadlineNote note(
        "the consumers never finished: after close(), pop must hand out what is left, then "
        "return nullopt — and close() must wake every waiting consumer");
  }  // every item is popped
  std::vector<int> all;
  for (const auto& mine : received) all.insert(all.end(), mine.begin(), mine.end());
  std::sort(all.begin(), all.end());
  std::vector<int> expected(kProducers * kEach);
  std::iota(expected.begin(), expected.end(), 0);
  ASSERT_EQ(all.size(), expected.size()) << "items were lost or handed out twice";
  EXPECT_EQ(all, expected) << "every item exactly once";
  for (int c = 0; c < kConsumers; ++c) {
    const auto& mine = received[static_cast<std::size_t>(c)];
    for (int p = 0; p < kProducers; ++p) {
      // Items of one producer reach any one consumer in the order they were pushed.
      std::vector<int> from_p;
      std::copy_if(mine.begin(), mine.end(), std::back_inserter(from_p),
                   [p](int item) { return item / kEach == p; });
      EXPECT_TRUE(std::is_sorted(from_p.begin(), from_p.end())) << "first in, first out";
    }
  }
}

}  // namespace
