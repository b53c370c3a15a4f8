// "Generators do not store all the values in memory": the sum of the first million naturals,
// from a std::vector filled first and from a generator, with the bytes each allocated.
//
//   $ build/demos/06_generators/memory
#include <cstdint>
#include <cstdlib>
#include <new>
#include <numeric>
#include <vector>

#include <fmt/format.h>

#include <course/demo.hpp>

#include "sequences.hpp"

namespace {
std::size_t allocated = 0;  // bytes, by this program's operator new
}  // namespace

void* operator new(std::size_t size) {
  allocated += size;
  if (void* memory = std::malloc(size == 0 ? 1 : size)) return memory;
  throw std::bad_alloc();
}
void operator delete(void* memory) noexcept {
  std::free(memory);
}
void operator delete(void* memory, std::size_t /*size*/) noexcept {
  std::free(memory);
}

int main() {
  return course::run_demo([] {
    constexpr std::uint64_t kCount = 1'000'000;
    std::size_t before = allocated;
    std::vector<std::uint64_t> all;
    for (std::uint64_t n = 0; n < kCount; ++n) all.push_back(n);
    const std::uint64_t from_vector = std::accumulate(all.begin(), all.end(), std::uint64_t{0});
    fmt::print("a vector:    sum {}, {:>9} bytes allocated (and {} bytes held at the end)\n",
               from_vector, allocated - before, all.capacity() * sizeof(std::uint64_t));

    before = allocated;
    std::uint64_t from_generator = 0;
    for (const std::uint64_t n : generators::naturals()) {
      if (n == kCount) break;
      from_generator += n;
    }
    fmt::print("a generator: sum {}, {:>9} bytes allocated (its frame)\n", from_generator,
               allocated - before);
  });
}
