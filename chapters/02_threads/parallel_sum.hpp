// Exercise 2.7: CPU-bound work split across threads — C++ has no GIL.
#pragma once

#include <cstdint>

#include "squares.hpp"

namespace threads {

// Exercise 2.7 — parallel_sum_of_squares(begin, end, threads): the exact sum of n² for
// begin ≤ n < end, as sum_of_squares gives it, computed by `threads` threads at once: each
// sums one contiguous slice of the range, the slices together cover it exactly once, and the
// partial sums are added at the end. 0 threads is an error: throw std::invalid_argument.
u128 parallel_sum_of_squares(std::uint64_t begin, std::uint64_t end, unsigned threads);

}  // namespace threads
