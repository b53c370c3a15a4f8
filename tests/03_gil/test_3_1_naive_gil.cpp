// Exercise 3.1: the simplest GIL — one mutex, held for a thread's whole program.
#include <vector>

#include <gtest/gtest.h>

#include <course/testing.hpp>
#include <toy/programs.hpp>

#include "gil_run.hpp"
#include "naive_gil.hpp"

namespace {

using gil_testing::run_threads;

TEST(NaiveGil, LetsOneThreadRunAtATime) {
  gil::NaiveGil lock;
  gil_testing::expect_one_thread_at_a_time(lock);
}

TEST(NaiveGil, NeverAsksTheHolderToLetGo) {
  gil::NaiveGil lock;
  lock.take();
  EXPECT_FALSE(lock.should_yield());
  EXPECT_FALSE(lock.should_yield());
  lock.drop();
  const toy::Code code(toy::count_to(1'000));
  const auto run = run_threads(lock, code, 1);
  EXPECT_EQ(run.stats[0].yields, 0) << "1000 check points, and no reason to let go at any";
}

TEST(NaiveGil, TheOtherThreadsWaitUntilTheHolderEnds) {
  gil::NaiveGil lock;
  const toy::Code code(toy::count_to(200'000));
  const auto run = run_threads(lock, code, 2);
  ASSERT_EQ(run.holds.size(), 2U) << "each thread takes the GIL once and keeps it:\n"
                                  << run.timeline;
  EXPECT_LE(gil_testing::ms_since_start(run, run.holds[0].dropped),
            gil_testing::ms_since_start(run, run.holds[1].taken))
      << "the second thread (its hold, in ms since the start) cannot run before the first has "
         "ended:\n"
      << run.timeline;
  EXPECT_EQ(run.switches, 1) << "the GIL passed from one thread to the other once";
}

TEST(NaiveGil, CountsASwitchOnlyWhenAnotherThreadTakesIt) {
  gil::NaiveGil lock;
  lock.take();
  lock.drop();
  EXPECT_EQ(lock.switches(), 0)
      << "the very first take() is no switch: nobody held the GIL before it";
  lock.take();  // the same thread again
  lock.drop();
  EXPECT_EQ(lock.switches(), 0) << "one thread taking it again is no switch";
  std::jthread([&lock] {
    lock.take();
    lock.drop();
  }).join();
  EXPECT_EQ(lock.switches(), 1)
      << "another thread took it: that is one switch (from the last holder to a new one)";
}

}  // namespace
