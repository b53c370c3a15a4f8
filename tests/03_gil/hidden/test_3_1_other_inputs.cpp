// Exercise 3.1's hidden tests: the same properties as the visible ones, on other inputs drawn at
// random — a solution that fits the visible cases only (two threads, one switch) fails here.
// Left out of what students receive; the rubric marks them hidden.
#include <random>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <course/testing.hpp>
#include <toy/programs.hpp>

#include "../gil_run.hpp"
#include "holders.hpp"
#include "naive_gil.hpp"

namespace {

using gil_testing::run_threads;

TEST(NaiveGil, CountsTheSwitchesOfAnyOrderOfHolders) {
  const unsigned seed = std::random_device{}();
  std::mt19937 draw(seed);
  gil::NaiveGil lock;
  const int holders = 3 + static_cast<int>(draw() % 3);
  const std::string wrong = gil_testing::check_switches_of_random_order(lock, holders, 40, draw);
  EXPECT_EQ(wrong, "") << fmt::format("(seed {})", seed);
}

TEST(NaiveGil, ManyThreadsHoldItOneAfterAnother) {
  const unsigned seed = std::random_device{}();
  std::mt19937 draw(seed);
  const int threads = 3 + static_cast<int>(draw() % 4);  // 3 to 6
  const long count = 20'000 + static_cast<long>(draw() % 40'000);
  const std::string inputs =
      fmt::format("{} threads counting to {} (seed {})", threads, count, seed);
  gil::NaiveGil lock;
  const toy::Code code(toy::count_to(count));
  const auto run = run_threads(lock, code, threads);
  EXPECT_EQ(run.results, std::vector<long>(static_cast<std::size_t>(threads), count)) << inputs;
  EXPECT_EQ(run.max_holders, 1) << inputs << ":\n" << run.timeline;
  ASSERT_EQ(run.holds.size(), static_cast<std::size_t>(threads))
      << inputs << ": each thread takes the GIL once and keeps it:\n"
      << run.timeline;
  for (std::size_t i = 1; i < run.holds.size(); ++i) {
    EXPECT_LE(gil_testing::ms_since_start(run, run.holds[i - 1].dropped),
              gil_testing::ms_since_start(run, run.holds[i].taken))
        << inputs << ": a thread ran before the one holding the GIL had ended:\n"
        << run.timeline;
  }
  EXPECT_EQ(run.switches, threads - 1)
      << inputs << ": the GIL passed from each thread to the next once";
}

}  // namespace
