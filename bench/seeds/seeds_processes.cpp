// The seeds' processes: chapter 4 runs the toy interpreter in processes, each with a GIL of its
// own, and maps a function over a pool of worker processes.
#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <toy/programs.hpp>

#include "gil_free.hpp"
#include "seeds.hpp"
#include "typed_pool.hpp"

namespace seeds {

// Seed 002's CPU-bound work on multiprocessing.Process ×2: chapter 4's run_on_processes (4.5),
// the toy program count_to(n) in two child processes at once. The unit is the same program on
// one thread under the same kind of GIL (the given processes::run_on_threads), in this process.
// Each process's start is part of what is timed, as it is in Python.
Outcome cpu_processes(Seconds unit) {
  const auto n = static_cast<long>(calibrate(unit, 100'000, [](std::uint64_t size) {
    (void)processes::run_on_threads(toy::count_to(static_cast<long>(size)), 1);
  }));
  const toy::Program program = toy::count_to(n);
  bool ok = true;
  std::vector<long> results;
  const auto measured = best_of_interleaved(
      kRounds,
      [&] {
        const bool right = processes::run_on_threads(program, 1) == std::vector{n};
        ok = right && ok;  // the run first: a failed check must not skip the work
      },
      [&] {
        results = processes::run_on_processes(program, 2);
        ok = results == std::vector{n, n} && ok;
      });
  return {measured.elapsed, measured.unit, ok,
          fmt::format("2 processes x count_to({}), results {}, {:.2f} CPUs busy", n, results,
                      measured.cpus_busy)};
}

// Seed 001's Pool(5).map(f, [1, 2, 3]): chapter 4's ProcessPool (4.4), through the given
// TypedPool that carries longs. Each square also sleeps one unit, so that the time shows the
// three were squared at once. The pool's start is timed, as the seed's cell times it; its
// shutdown (the destructor) is not, as the seed never closes it.
Outcome pool_map(Seconds unit) {
  const auto delay = std::chrono::duration_cast<std::chrono::nanoseconds>(unit);
  std::vector<long> result;
  Seconds elapsed{};
  {
    const auto start = std::chrono::steady_clock::now();
    processes::TypedPool<long, long> pool(5, [delay](const long& x) {
      std::this_thread::sleep_for(delay);
      return x * x;
    });
    result = pool.map({1, 2, 3});
    elapsed = std::chrono::steady_clock::now() - start;
    say(fmt::format("map(square, [1, 2, 3]) = {} in workers {}", result, pool.worker_pids()));
  }
  return {elapsed, unit, result == std::vector<long>{1, 4, 9},
          fmt::format("map(square, [1, 2, 3]) = {}", result)};
}

}  // namespace seeds
