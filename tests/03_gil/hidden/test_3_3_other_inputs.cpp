// Exercise 3.3's hidden test: switches() on other inputs than the visible tests' — threads
// taking the GIL one at a time in an order drawn at random, so that the count is known exactly.
// Left out of what students receive; the rubric marks it hidden.
#include <random>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <course/testing.hpp>

#include "holders.hpp"
#include "new_gil.hpp"

namespace {

TEST(NewGil, CountsTheSwitchesOfAnyOrderOfHolders) {
  const unsigned seed = std::random_device{}();
  std::mt19937 draw(seed);
  gil::NewGil lock;
  const int holders = 2 + static_cast<int>(draw() % 4);
  const std::string wrong = gil_testing::check_switches_of_random_order(lock, holders, 40, draw);
  EXPECT_EQ(wrong, "") << fmt::format("(seed {})", seed);
}

}  // namespace
