#include "squares.hpp"

#include <stdexcept>

namespace synchronous {

u128 sum_of_squares(std::uint64_t begin, std::uint64_t end, std::uint64_t step) {
  if (step == 0) throw std::invalid_argument("sum_of_squares: step must not be zero");
  u128 sum = 0;
  // Teacher's note: `n < end` alone would do, but n += step can wrap past 2^64 and start
  // again below `end`; counting the steps left avoids that. Squaring n as a u128 (not n * n
  // in 64 bits, which silently wraps for n ≥ 2^32) is the point of the exercise.
  for (std::uint64_t n = begin; n < end; n = (end - n > step) ? n + step : end) {
    const u128 wide = n;
    sum += wide * wide;
  }
  return sum;
}

std::string to_decimal(u128 value) {
  if (value == 0) return "0";
  std::string digits;
  while (value != 0) {
    digits.push_back(static_cast<char>('0' + static_cast<int>(value % 10)));
    value /= 10;
  }
  return {digits.rbegin(), digits.rend()};
}

}  // namespace synchronous
