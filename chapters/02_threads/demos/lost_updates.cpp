// Lost updates, without undefined behaviour: two threads add 1 a million times each to an
// atomic counter, first with a separate load and store, then with fetch_add. Each load and each
// store is atomic — yet between one thread's load and its store, the other thread adds, and its
// addition is overwritten. (A plain long would lose updates too, but that is a data race:
// undefined behaviour, which ThreadSanitizer reports and no program may contain.)
//
//   build/demos/02_threads/lost_updates
#include <atomic>
#include <thread>
#include <vector>

#include <fmt/format.h>

namespace {

constexpr long kEach = 1'000'000;

template <class Add>
long count_with(Add add) {
  std::atomic<long> counter{0};
  {
    std::vector<std::jthread> adders;
    for (int t = 0; t < 2; ++t) {
      adders.emplace_back([&] {
        for (long i = 0; i < kEach; ++i) add(counter);
      });
    }
  }
  return counter.load();
}

}  // namespace

int main() {
  const long split =
      count_with([](std::atomic<long>& counter) { counter.store(counter.load() + 1); });
  fmt::print("load, then store: {:>8} of {} ({} additions lost)\n", split, 2 * kEach,
             2 * kEach - split);
  const long whole = count_with([](std::atomic<long>& counter) { counter.fetch_add(1); });
  fmt::print("fetch_add:        {:>8} of {} ({} lost)\n", whole, 2 * kEach, 2 * kEach - whole);
}
