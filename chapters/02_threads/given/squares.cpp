#include "squares.hpp"

namespace threads {

u128 sum_of_squares(std::uint64_t begin, std::uint64_t end) {
  u128 sum = 0;
  for (std::uint64_t n = begin; n < end; ++n) {
    const u128 wide = n;
    sum += wide * wide;
  }
  return sum;
}

}  // namespace threads
