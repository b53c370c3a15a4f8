// Exercise 2.3: counters that many threads add to at once.
#include <atomic>
#include <chrono>
#include <latch>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <course/testing.hpp>

#include "counters.hpp"

namespace {

// `threads` threads that add 1 to the counter, all at once, for `how_long` (they start together,
// once every one of them is running); returns how many additions they made in all. For a
// while, not a count: a counter without its lock loses additions only when two threads add at
// the same moment, or one is switched out half-way through an addition, and beside busy
// processes a fixed count (8 × 50,000) was done before the threads ever overlapped: the mistake
// passed 1 run of tools/mutants --busy. For 200 ms, it was caught in 20 of 20 runs beside
// stress-ng --cpu 2 (both cores busy), as was the atomic load-then-store — yet both escaped
// once beside stress-ng --cpu 1 and a compiler: the threads are now pinned, spread over the
// CPUs: caught in 16 runs of 16 beside two and three busy processes (stress-ng --cpu 1 + 1 or 2).
template <class Counter>
long add_from_threads(Counter& counter, int threads, std::chrono::nanoseconds how_long) {
  std::latch all_running(threads + 1);
  std::atomic<bool> stop{false};
  std::atomic<long> added{0};
  {
    std::vector<std::jthread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        // Spread over the CPUs, so that the scheduler cannot keep them all on one core.
        course::pin_this_thread_to_cpu(static_cast<unsigned>(t));
        all_running.arrive_and_wait();
        long mine = 0;
        while (!stop.load(std::memory_order_relaxed)) {
          counter.add(1);
          ++mine;
        }
        added += mine;
      });
    }
    all_running.arrive_and_wait();
    std::this_thread::sleep_for(how_long);
    stop = true;
  }
  return added;
}

constexpr int kThreads = 8;
const auto kAdding = course::scaled(std::chrono::milliseconds(200));

TEST(MutexCounter, CountsInOneThread) {
  threads::MutexCounter counter;
  EXPECT_EQ(counter.value(), 0) << "a new counter is at 0";
  counter.add(5);
  counter.add(-2);
  EXPECT_EQ(counter.value(), 3);
}

TEST(MutexCounter, LosesNoAdditionFromManyThreads) {
  threads::MutexCounter counter;
  const long total = add_from_threads(counter, kThreads, kAdding);
  EXPECT_EQ(counter.value(), total)
      << kThreads << " threads added 1, " << total << " times in all; " << total - counter.value()
      << " additions were lost: value_ += amount is a read and a write, and two threads did "
         "them at once. Hold the mutex around it.";
}

TEST(AtomicCounter, CountsInOneThread) {
  threads::AtomicCounter counter;
  EXPECT_EQ(counter.value(), 0) << "a new counter is at 0";
  counter.add(5);
  counter.add(-2);
  EXPECT_EQ(counter.value(), 3);
}

TEST(AtomicCounter, LosesNoAdditionFromManyThreads) {
  threads::AtomicCounter counter;
  const long total = add_from_threads(counter, kThreads, kAdding);
  EXPECT_EQ(counter.value(), total)
      << total - counter.value()
      << " additions were lost: value_ = value_ + amount is two atomic steps, a load and a "
         "store, and another thread can add in between. fetch_add is one.";
}

}  // namespace
