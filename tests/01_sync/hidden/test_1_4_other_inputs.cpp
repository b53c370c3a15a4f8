// Exercise 1.4's hidden tests: the same properties as the visible ones, on other inputs drawn at
// random — a solution that fits the visible cases only fails here. Left out of what students
// receive; the rubric marks them hidden.
#include <cstdint>
#include <random>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <course/testing.hpp>

#include "squares.hpp"

namespace {

using synchronous::sum_of_squares;
using synchronous::to_decimal;
using synchronous::u128;

// The sum, one number at a time: slow and sure.
u128 sum_by_hand(std::uint64_t begin, std::uint64_t end, std::uint64_t step) {
  u128 sum = 0;
  for (u128 n = begin; n < end; n += step) sum += n * n;
  return sum;
}

TEST(SumOfSquares, RandomRangesAndStepsAroundTheTopOf32Bits) {
  const unsigned seed = std::random_device{}();
  std::mt19937_64 draw(seed);
  for (int round = 0; round < 200; ++round) {
    const std::uint64_t begin = (std::uint64_t{1} << 32) - 500 + draw() % 1000;
    const std::uint64_t end = begin + draw() % 3000;
    const std::uint64_t step = 1 + draw() % 9;
    ASSERT_EQ(course::decimal(sum_of_squares(begin, end, step)),
              course::decimal(sum_by_hand(begin, end, step)))
        << fmt::format("range({}, {}, {}) (seed {})", begin, end, step, seed);
  }
}

TEST(ToDecimal, RandomNumbersOfEveryLength) {
  const unsigned seed = std::random_device{}();
  std::mt19937_64 draw(seed);
  for (int digits = 1; digits <= 39; ++digits) {
    // A number of exactly `digits` digits, the first one not 0, below 2^128.
    std::string text = std::to_string(1 + draw() % 9);
    while (static_cast<int>(text.size()) < digits) text += static_cast<char>('0' + draw() % 10);
    if (digits == 39) text[0] = '1';
    u128 value = 0;
    for (const char c : text) value = value * 10 + static_cast<unsigned>(c - '0');
    EXPECT_EQ(to_decimal(value), text) << fmt::format("(seed {})", seed);
  }
}

}  // namespace
