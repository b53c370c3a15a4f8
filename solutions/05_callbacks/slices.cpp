#include "slices.hpp"

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <utility>

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

namespace {

// Where the counting is: shared by one slice and the next, which it schedules.
struct Counting {
  Scheduler& loop;
  std::uint32_t below;
  std::uint32_t per_slice;
  std::function<void(std::uint32_t)> on_done;
  std::uint32_t next = 0;
  std::uint32_t count = 0;
};

void count_one_slice(const std::shared_ptr<Counting>& counting) {
  // min() keeps `next + per_slice` from passing `below` (and from overflowing near 2^32).
  const std::uint32_t end =
      counting->next + std::min(counting->per_slice, counting->below - counting->next);
  counting->count += count_primes(counting->next, end);
  counting->next = end;
  if (counting->next == counting->below) {
    counting->on_done(counting->count);
    return;
  }
  // Yield: the next slice goes to the back of the loop's queue, behind whatever is due.
  counting->loop.call_soon([counting] { count_one_slice(counting); });
}

}  // namespace

void count_primes_in_slices(Scheduler& loop, std::uint32_t below, std::uint32_t per_slice,
                            std::function<void(std::uint32_t)> on_done) {
  if (per_slice == 0) throw std::invalid_argument("count_primes_in_slices: per_slice is 0");
  auto counting = std::make_shared<Counting>(Counting{loop, below, per_slice, std::move(on_done)});
  loop.call_soon([counting] { count_one_slice(counting); });
}

}  // namespace callbacks
