// CPU-bound work on threads: the notebooks' sum of squares, on 1, 2, 4 ... threads up to twice the
// cores. In C++ the threads run on all the cores at once: the time falls until the threads
// outnumber the cores. (In CPython the GIL lets one thread run at a time: no gain. Chapter 3.)
// Last, the notebooks' own split: two threads, one given the first 1% of the range and the other
// the rest. The second does nearly all the work, so even without a GIL it gains almost nothing.
//
//   build/demos/02_threads/cpu_threads
#include <algorithm>
#include <chrono>
#include <thread>

#include <fmt/format.h>

#include <course/demo.hpp>

#include "parallel_sum.hpp"

int main() {
  return course::run_demo([] {
    using Clock = std::chrono::steady_clock;
    constexpr std::uint64_t kEnd = 100'000'000;
    const unsigned cores = std::max(1U, std::thread::hardware_concurrency());
    fmt::print("sum of n² for n below {}, on a machine of {} cores\n", kEnd, cores);
    double one_thread_ms = 0;
    for (unsigned count = 1; count <= 2 * cores; count *= 2) {
      const auto start = Clock::now();
      (void)threads::parallel_sum_of_squares(1, kEnd, count);
      const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
      if (count == 1) one_thread_ms = ms;
      fmt::print("{:>3} thread{}: {:7.1f} ms  ({:.2f}× one thread)\n", count,
                 count == 1 ? " " : "s", ms, one_thread_ms / ms);
    }

    const auto start = Clock::now();
    {
      const std::jthread small([] { (void)threads::sum_of_squares(1, kEnd / 100); });
      const std::jthread large([] { (void)threads::sum_of_squares(kEnd / 100, kEnd); });
    }  // both joined here
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    fmt::print(
        "  2 threads, split 1% / 99% as in the notebooks: {:7.1f} ms  ({:.2f}× one thread)\n", ms,
        one_thread_ms / ms);
  });
}
