// The seeds' CPU-bound threads under a GIL: chapter 3's toy interpreter, which runs a thread's
// program only while that thread holds the GIL, as CPython does.
#include <cstdint>
#include <vector>

#include <fmt/format.h>

#include <toy/interpreter.hpp>
#include <toy/programs.hpp>

#include "new_gil.hpp"
#include "seeds.hpp"

namespace seeds {

// Seed 002's cpu_bound on two threads: the toy program count_to(n) on two threads of one
// toy::Runtime under chapter 3's NewGil (3.3), CPython's GIL since 3.2 with its 5 ms switch
// interval. One unit is the same program on one thread of the same runtime; two threads each
// doing a unit take two units: the GIL runs one of them at a time.
Outcome cpu_threads_gil(Seconds unit) {
  gil::NewGil lock;
  toy::Runtime runtime(lock);
  const auto size = calibrate(unit, 100'000, [&](std::uint64_t n) {
    (void)runtime.run(toy::Code(toy::count_to(static_cast<long>(n))));
  });
  const toy::Code code(toy::count_to(static_cast<long>(size)));
  long alone = 0;
  toy::ThreadStats one;
  bool ok = true;
  long switches = 0;
  const auto measured = best_of_interleaved(
      kRounds,
      [&] {
        one = {};
        alone = runtime.run(code, &one);
      },
      [&] {
        const long before = lock.switches();
        const auto stats = toy::run_on_threads(runtime, code, 2);
        switches = lock.switches() - before;
        // Right when each thread ran the whole program, as many instructions as one alone.
        ok = ok && stats.size() == 2 && stats[0].instructions == one.instructions &&
             stats[1].instructions == one.instructions;
      });
  say(fmt::format("2 threads: {} switches of the GIL, at most {} holder(s) at once", switches,
                  runtime.max_holders()));
  // ... and never two threads held the GIL at once.
  ok = ok && alone == static_cast<long>(size) && runtime.max_holders() == 1;
  return {measured.elapsed, measured.unit, ok,
          fmt::format("2 threads x count_to({}) under NewGil, {} switches, {:.2f} CPUs busy", size,
                      switches, measured.cpus_busy)};
}

}  // namespace seeds
