// Exercise 1.4: exact sums of squares, beyond 64 bits.
#include <cstdint>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include <course/testing.hpp>

#include "squares.hpp"

namespace {

using synchronous::sum_of_squares;
using synchronous::to_decimal;
using synchronous::u128;

constexpr u128 kTwoTo64 = u128{1} << 64;

// 1² + 2² + ... + n², by the closed form n(n+1)(2n+1)/6.
u128 squares_up_to(std::uint64_t n) {
  const u128 wide = n;
  return wide * (wide + 1) * (2 * wide + 1) / 6;
}

TEST(SumOfSquares, SmallRangesLikePython) {
  EXPECT_EQ(course::decimal(sum_of_squares(1, 4)), "14") << "range(1, 4) is 1, 2, 3: 1 + 4 + 9";
  EXPECT_EQ(course::decimal(sum_of_squares(0, 1)), "0") << "range(0, 1) is just 0";
  EXPECT_EQ(course::decimal(sum_of_squares(1, 11, 2)), "165") << "range(1, 11, 2) is 1, 3, 5, 7, 9";
  EXPECT_EQ(course::decimal(sum_of_squares(5, 5)), "0") << "range(5, 5) is empty";
  EXPECT_EQ(course::decimal(sum_of_squares(7, 3)), "0") << "range(7, 3) is empty too";
}

TEST(SumOfSquares, RejectsAStepOfZero) {
  EXPECT_THROW((void)sum_of_squares(1, 10, 0), std::invalid_argument)
      << "a step of 0 would never reach the end: Python raises ValueError, throw "
         "std::invalid_argument";
}

TEST(SumOfSquares, SquaresBeyond64Bits) {
  // (2^32)² + (2^32 + 1)² + (2^32 + 2)²  =  3·2^64 + 6·2^32 + 5
  const std::uint64_t n = std::uint64_t{1} << 32;
  const u128 expected = 3 * kTwoTo64 + 6 * (u128{1} << 32) + 5;
  const u128 actual = sum_of_squares(n, n + 3);
  EXPECT_EQ(course::decimal(actual), course::decimal(expected))
      << "for n ≥ 2^32, n·n and the sum no longer fit in 64 bits: square n as a u128, and add "
         "the squares up in a u128";
}

// At the top of the 64-bit range, n + step can wrap around to a small number, and a loop that
// steps past the end would then go on from there (for about 2^64 / 5 more rounds).
TEST(SumOfSquares, StopsAtTheTopOfThe64BitRange) {
  constexpr std::uint64_t kMax = UINT64_MAX;
  const course::DeadlineNote note(
      "stuck summing range(2^64 - 3, 2^64 - 1, 5): n + 5 wrapped around past 2^64 to a small n, "
      "still below the end. Step only while end - n > step.");
  const u128 n = kMax - 2;
  EXPECT_EQ(course::decimal(sum_of_squares(kMax - 2, kMax, 5)), course::decimal(n * n))
      << "range(2^64 - 3, 2^64 - 1, 5) holds one number";
  EXPECT_EQ(course::decimal(sum_of_squares(kMax - 1, kMax)), course::decimal((n + 1) * (n + 1)));
}

// The notebooks' CPU-bound job: Python's sum of squares below ten million, 333333283333335000000,
// more than the 18446744073709551615 a 64-bit integer holds.
TEST(SumOfSquares, TheNotebooksTenMillion) {
  u128 sum = 0;
  const auto elapsed = course::time_once([&sum] { sum = sum_of_squares(1, 10'000'000); });
  course::record_figure("time", course::format_millis(elapsed));
  EXPECT_EQ(course::decimal(sum), course::decimal(squares_up_to(9'999'999)))
      << "Python says 333333283333335000000; a 64-bit sum wraps around past "
         "18446744073709551615: add in a u128";
}

TEST(ToDecimal, SmallNumbers) {
  EXPECT_EQ(to_decimal(0), "0") << "zero has one digit";
  EXPECT_EQ(to_decimal(7), "7");
  EXPECT_EQ(to_decimal(10), "10");
  EXPECT_EQ(to_decimal(1234567890), "1234567890");
}

TEST(ToDecimal, NumbersBeyond64Bits) {
  EXPECT_EQ(to_decimal(kTwoTo64), "18446744073709551616");
  EXPECT_EQ(to_decimal(u128{333333283333335} * 1'000'000), "333333283333335000000");
  EXPECT_EQ(to_decimal(~u128{0}), "340282366920938463463374607431768211455")
      << "the largest u128, 2^128 - 1";
}

}  // namespace
