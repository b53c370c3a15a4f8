// Exercise 1.4: CPU-bound work, with a result too big for 64 bits.
#pragma once

#include <cstdint>
#include <string>

namespace synchronous {

// An unsigned 128-bit integer: g++ and clang have one, though the C++ standard does not.
// (`__extension__` tells -Wpedantic that we know.)
__extension__ using u128 = unsigned __int128;

// Exercise 1.4 — sum_of_squares(begin, end, step): the exact sum of n² for n = begin,
// begin + step, begin + 2·step, ... while n < end — Python's
// sum(n**2 for n in range(begin, end, step)). An empty range sums to 0. A step of 0 is an
// error: throw std::invalid_argument. Every n² and the sum must be exact even when they do not
// fit in 64 bits (Python's integers never overflow; yours must not either).
u128 sum_of_squares(std::uint64_t begin, std::uint64_t end, std::uint64_t step = 1);

// Exercise 1.4 — to_decimal(value): the decimal digits of a 128-bit number, e.g.
// "333333283333335000000". (std::to_string and iostreams stop at 64 bits.)
std::string to_decimal(u128 value);

}  // namespace synchronous
