// The seeds' CPU-bound threads under a GIL: chapter 3's toy interpreter, which runs a thread's
// program only while that thread holds the GIL, as CPython does.
#include <cstdint>

#include <fmt/format.h>

#include <toy/interpreter.hpp>
#include <toy/programs.hpp>

#include "new_gil.hpp"
#include "seeds.hpp"

namespace seeds {

// Seed 002's cpu_bound on two threads: the toy program count_to(n) on two threads of one
// toy::Runtime under chapter 3's NewGil (3.3), CPython's GIL since 3.2 with its 5 ms switch
// interval. One unit is the same program on one thread of the same runtime, measured just
// before; two threads each doing a unit take two units: the GIL runs one of them at a time.
Outcome cpu_threads_gil(Seconds unit) {
  gil::NewGil lock;
  toy::Runtime runtime(lock);
  long alone = 0;
  const auto calibrated = calibrate(unit, 100'000, [&](std::uint64_t size) {
    alone = runtime.run(toy::Code(toy::count_to(static_cast<long>(size))));
  });
  const toy::Code code(toy::count_to(static_cast<long>(calibrated.size)));
  toy::ThreadStats one;
  (void)runtime.run(code, &one);  // the instructions one thread runs, to check the two against
  const long switches_before = lock.switches();
  std::vector<toy::ThreadStats> stats;
  const auto elapsed = time_of([&] { stats = toy::run_on_threads(runtime, code, 2); });
  const long switches = lock.switches() - switches_before;
  say(fmt::format("2 threads: {} switches of the GIL, at most {} holder(s) at once", switches,
                  runtime.max_holders()));
  // Right when each thread ran the whole program, and never two held the GIL at once.
  const bool ok = alone > 0 && stats.size() == 2 && stats[0].instructions == one.instructions &&
                  stats[1].instructions == one.instructions && runtime.max_holders() == 1;
  return {
      elapsed, calibrated.unit, ok,
      fmt::format("2 threads x count_to({}) under NewGil, {} switches", calibrated.size, switches)};
}

}  // namespace seeds
