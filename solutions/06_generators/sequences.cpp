#include "sequences.hpp"

#include <limits>
#include <utility>

namespace generators {

Generator<std::string> generator_function() {
  co_yield "something";
  co_yield "other thing";
}

Generator<std::uint64_t> naturals() {
  // Teacher's note: the frame holds `n` between two next()s — the whole state of the sequence.
  for (std::uint64_t n = 0;; ++n) {
    co_yield n;
    if (n == std::numeric_limits<std::uint64_t>::max()) co_return;
  }
}

Generator<unsigned __int128> fibonacci() {
  unsigned __int128 a = 0;
  unsigned __int128 b = 1;
  for (;;) {
    co_yield a;
    // The next value a + b must fit: stop before it would wrap.
    if (b > std::numeric_limits<unsigned __int128>::max() - a) {
      co_yield b;
      co_return;
    }
    a = std::exchange(b, a + b);
  }
}

}  // namespace generators
