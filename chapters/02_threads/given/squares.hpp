// Given: chapter 1's sum of squares, one thread, for exercise 2.7 to split across threads.
#pragma once

#include <cstdint>
#include <functional>

namespace threads {

__extension__ using u128 = unsigned __int128;

// The exact sum of n² for begin ≤ n < end (0 for an empty range). (Not inline: a compiler
// that sees a call with constant arguments may work the whole sum out while compiling, and a
// timing test would then time nothing.)
u128 sum_of_squares(std::uint64_t begin, std::uint64_t end);

namespace detail {
// For 2.7's tests, not for your code: when set, sum_of_squares calls it first, on the thread
// that sums. Set it only while no sum runs.
std::function<void()>& sum_of_squares_watch();
}  // namespace detail

}  // namespace threads
