#include "squares.hpp"

#include <utility>

namespace threads {

u128 sum_of_squares(std::uint64_t begin, std::uint64_t end) {
  // Set by 2.7's tests only, while they run: they see which threads sum at the same time.
  if (const auto& watch = detail::sum_of_squares_watch()) watch();
  u128 sum = 0;
  for (std::uint64_t n = begin; n < end; ++n) {
    const u128 wide = n;
    sum += wide * wide;
  }
  return sum;
}

namespace detail {

std::function<void()>& sum_of_squares_watch() {
  static std::function<void()> watch;
  return watch;
}

}  // namespace detail
}  // namespace threads
