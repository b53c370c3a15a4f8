// Exercise 2.3: counters that many threads add to at once.
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <course/testing.hpp>

#include "counters.hpp"

namespace {

// `threads` threads that each add 1 to the counter `additions` times, all at once.
template <class Counter>
void add_from_threads(Counter& counter, int threads, long additions) {
  std::vector<std::jthread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&counter, additions] {
      for (long i = 0; i < additions; ++i) counter.add(1);
    });
  }
}

constexpr int kThreads = 8;
constexpr long kAdditions = 50'000;
constexpr long kTotal = kThreads * kAdditions;

TEST(MutexCounter, CountsInOneThread) {
  threads::MutexCounter counter;
  EXPECT_EQ(counter.value(), 0) << "a new counter is at 0";
  counter.add(5);
  counter.add(-2);
  EXPECT_EQ(counter.value(), 3);
}

TEST(MutexCounter, LosesNoAdditionFromManyThreads) {
  threads::MutexCounter counter;
  add_from_threads(counter, kThreads, kAdditions);
  EXPECT_EQ(counter.value(), kTotal)
      << kThreads << " threads added 1 " << kAdditions << " times each; "
      << kTotal - counter.value()
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
  add_from_threads(counter, kThreads, kAdditions);
  EXPECT_EQ(counter.value(), kTotal)
      << kTotal - counter.value()
      << " additions were lost: value_ = value_ + amount is two atomic steps, a load and a "
         "store, and another thread can add in between. fetch_add is one.";
}

}  // namespace
