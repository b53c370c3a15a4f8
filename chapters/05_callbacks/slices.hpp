// Exercise 5.5: a long CPU-bound callback starves the loop; slices that yield fix it.
#pragma once

#include <cstdint>
#include <functional>

#include "scheduler.hpp"

namespace callbacks {

// Given: how many primes p satisfy begin ≤ p < end — plain CPU work, by trial division.
std::uint32_t count_primes(std::uint32_t begin, std::uint32_t end);

// Exercise 5.5 — count_primes_in_slices(loop, below, per_slice, on_done): counts the primes
// below `below` as count_primes(0, below) would, but `per_slice` numbers at a time: each slice
// counts its numbers and schedules the next slice with call_soon, so that everything else due
// on the loop (timers, other callbacks) runs between two slices — the notebooks' "sleep(0)
// once per loop". The first slice runs from the loop, not inside this call; after the last,
// on_done(count) is called, once. per_slice == 0 throws std::invalid_argument at once.
void count_primes_in_slices(Scheduler& loop, std::uint32_t below, std::uint32_t per_slice,
                            std::function<void(std::uint32_t)> on_done);

}  // namespace callbacks
