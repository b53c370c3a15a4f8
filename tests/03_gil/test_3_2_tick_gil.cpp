// Exercise 3.2: Python 2's GIL — let go every so many ticks, and take turns fairly.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <course/testing.hpp>
#include <toy/programs.hpp>

#include "gil_run.hpp"
#include "tick_gil.hpp"

namespace {

using gil_testing::run_threads;
using gil_testing::turns_skipped;

TEST(TickGil, LetsOneThreadRunAtATime) {
  gil::TickGil lock(100);
  const toy::Code code(toy::count_to(100'000));
  const long alive_before = toy::objects_alive().load();
  const auto run = run_threads(lock, code, 3);
  EXPECT_EQ(run.max_holders, 1) << "two threads held the GIL at once";
  EXPECT_EQ(run.results, (std::vector<long>{100'000, 100'000, 100'000}));
  EXPECT_EQ(code.constant_refcounts(), (std::vector<long>{1, 1, 1}));
  EXPECT_EQ(toy::objects_alive().load(), alive_before) << "objects were leaked or freed twice";
}

TEST(TickGil, LetsGoEveryIntervalTicks) {
  gil::TickGil lock(3);
  lock.take();
  std::vector<bool> answers;
  for (int tick = 0; tick < 7; ++tick) answers.push_back(lock.should_yield());
  lock.drop();
  EXPECT_EQ(answers, (std::vector<bool>{false, false, true, false, false, true, false}))
      << "with an interval of 3, every third check point says: let go";
  gil::TickGil hundred(100);
  const toy::Code code(toy::count_to(1'000));  // a loop of 1000 turns: 1000 check points
  const auto run = run_threads(hundred, code, 1);
  EXPECT_EQ(run.stats[0].yields, 10) << "1000 check points, one yield every 100 — even alone";
}

TEST(TickGil, ThreadsTakeTurns) {
  gil::TickGil lock(100);
  const toy::Code code(toy::count_to(200'000));
  const auto run = run_threads(lock, code, 2);
  EXPECT_GE(run.stats[0].holds, 10) << run.timeline;
  EXPECT_GE(run.stats[1].holds, 10) << run.timeline;
  ASSERT_GE(run.holds.size(), 2U);
  // Both ran before either finished: each one's first hold came before the other's last.
  const auto first_of = [&run](const std::string& thread) {
    return std::find_if(run.holds.begin(), run.holds.end(),
                        [&](const auto& hold) { return hold.thread == thread; })
        ->taken;
  };
  const auto last_of = [&run](const std::string& thread) {
    return std::find_if(run.holds.rbegin(), run.holds.rend(),
                        [&](const auto& hold) { return hold.thread == thread; })
        ->taken;
  };
  EXPECT_LT(first_of("thread 2"), last_of("thread 1")) << run.timeline;
  EXPECT_LT(first_of("thread 1"), last_of("thread 2")) << run.timeline;
  EXPECT_GE(run.switches, 10) << "the GIL must pass back and forth:\n" << run.timeline;
}

// Fairness: a thread that lets go and asks again at once goes behind the threads waiting.
TEST(TickGil, TurnsGoInTheOrderOfAsking) {
  gil::TickGil lock(50);
  const toy::Code code(toy::count_to(100'000));
  const auto run = run_threads(lock, code, 3);
  // While all three run, the holders go round: 1 2 3 1 2 3 ... Measured: a fair GIL skipped no
  // turn in 6000 holds (27 under ThreadSanitizer, where "asked" is timed a little before the
  // ticket is drawn); a plain mutex skipped 4700–5700. The bar is 1% of the holds.
  EXPECT_LE(turns_skipped(run.holds), static_cast<int>(run.holds.size()) / 100)
      << "the thread that let go took the GIL straight back, ahead of the threads waiting: draw "
         "a ticket in take(), and serve the tickets in order\n"
      << run.timeline;
  EXPECT_GE(run.switches, 20);
}

}  // namespace
