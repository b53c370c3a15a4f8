#include "parallel_sum.hpp"

#include <stdexcept>
#include <thread>
#include <vector>

namespace threads {

u128 parallel_sum_of_squares(std::uint64_t begin, std::uint64_t end, unsigned threads) {
  if (threads == 0) throw std::invalid_argument("parallel_sum_of_squares: 0 threads");
  if (end <= begin) return 0;
  const std::uint64_t count = end - begin;
  // Slices of count / threads numbers, the first count % threads of them one longer: they
  // cover the range exactly, and differ in length by one at most.
  const std::uint64_t base = count / threads;
  const std::uint64_t longer = count % threads;
  // Each thread writes its own partial sum; they are added once every thread is joined.
  std::vector<u128> partial(threads, 0);
  {
    std::vector<std::jthread> workers;
    workers.reserve(threads);
    std::uint64_t from = begin;
    for (unsigned i = 0; i < threads; ++i) {
      const std::uint64_t to = from + base + (i < longer ? 1 : 0);
      workers.emplace_back([&partial, i, from, to] { partial[i] = sum_of_squares(from, to); });
      from = to;
    }
  }
  u128 sum = 0;
  for (const u128 part : partial) sum += part;
  return sum;
}

}  // namespace threads
