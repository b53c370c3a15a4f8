#include "slices.hpp"

#include <course/not_implemented.hpp>

namespace callbacks {

namespace {

bool is_prime(std::uint32_t n) {
  if (n < 2) return false;
  for (std::uint32_t d = 2; d <= n / d; ++d) {
    if (n % d == 0) return false;
  }
  return true;
}

}  // namespace

std::uint32_t count_primes(std::uint32_t begin, std::uint32_t end) {
  std::uint32_t count = 0;
  for (std::uint32_t n = begin; n < end; ++n) count += is_prime(n) ? 1 : 0;
  return count;
}

void count_primes_in_slices([[maybe_unused]] Scheduler& loop, [[maybe_unused]] std::uint32_t below,
                            [[maybe_unused]] std::uint32_t per_slice,
                            [[maybe_unused]] std::function<void(std::uint32_t)> on_done) {
  // TODO(5.5): count one slice, then call_soon the next; what the slices share must outlive
  // this call.
  throw course::NotImplemented("5.5", "count_primes_in_slices");
}

}  // namespace callbacks
