// Exercise 5.5's hidden tests: the same properties as the visible ones, on other inputs drawn at
// random — a solution that fits the visible cases only (twenty slices, the visible ranges) fails
// here. Left out of what students receive; the rubric marks them hidden.
#include <cstdint>
#include <functional>
#include <random>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <course/loop_clock.hpp>
#include <course/testing.hpp>

#include "../loop_testing.hpp"
#include "slices.hpp"

namespace {

using callbacks::count_primes;
using callbacks::count_primes_in_slices;
using callbacks::Scheduler;
using loop_testing::run_on;

TEST(CountPrimesInSlices, RandomRangesAndSliceSizesCountWhatTheBlockingVersionCounts) {
  const unsigned seed = std::random_device{}();
  std::mt19937 draw(seed);
  for (int round = 0; round < 40; ++round) {
    const std::uint32_t below = draw() % 40'000;
    const std::uint32_t per_slice =
        round % 4 == 0 ? 1 + draw() % 7 : 1 + draw() % (below / (1 + draw() % 50) + 1);
    course::ManualClock clock;
    Scheduler loop(clock);
    std::vector<std::uint32_t> answers;
    count_primes_in_slices(loop, below, per_slice,
                           [&](std::uint32_t count) { answers.push_back(count); });
    run_on(loop, clock);
    ASSERT_EQ(answers, (std::vector<std::uint32_t>{count_primes(0, below)}))
        << fmt::format("on_done once, with the primes below {} counted in slices of {} (seed {})",
                       below, per_slice, seed);
  }
}

TEST(CountPrimesInSlices, YieldsToTheLoopAfterEverySliceWhateverTheirNumber) {
  const unsigned seed = std::random_device{}();
  std::mt19937 draw(seed);
  for (int round = 0; round < 20; ++round) {
    const std::uint32_t slices = 3 + draw() % 60;
    const std::uint32_t per_slice = 50 + draw() % 600;
    // The last slice is a part of one, or a whole one.
    const std::uint32_t below = slices * per_slice - draw() % per_slice;
    course::ManualClock clock;
    Scheduler loop(clock);
    bool counted = false;
    int turns = 0;
    std::function<void()> other_task = [&] {
      if (counted) return;
      ++turns;
      loop.call_soon(other_task);
    };
    count_primes_in_slices(loop, below, per_slice, [&](std::uint32_t) { counted = true; });
    loop.call_soon(other_task);
    run_on(loop, clock);
    ASSERT_TRUE(counted);
    const int expected = static_cast<int>(slices);
    ASSERT_GE(turns, expected - 1) << fmt::format(
        "{} slices (below {}, {} a slice), and another task that wants the loop got {} turns "
        "while they ran: each slice ends by scheduling the next with call_soon (seed {})",
        slices, below, per_slice, turns, seed);
    ASSERT_LE(turns, expected + 1) << fmt::format(
        "a slice is per_slice numbers: below {} in slices of {} is {} slices, not {} (seed {})",
        below, per_slice, slices, turns, seed);
  }
}

}  // namespace
