// The seeds' experiments that chapter 2 answers: threads that wait, threads that compute, and
// the trap of joining each thread as soon as it is started.
#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <stdexcept>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "io_threads.hpp"
#include "parallel_sum.hpp"
#include "run_all.hpp"
#include "seeds.hpp"
#include "squares.hpp"

namespace seeds {

namespace {

threads::Clock::duration ticks(Seconds d) {
  return std::chrono::duration_cast<threads::Clock::duration>(d);
}

// sum of k² for 1 <= k <= m, in closed form: what the threads' sum must come to.
threads::u128 squares_up_to(std::uint64_t m) {
  const threads::u128 wide = m;
  return wide * (wide + 1) * (2 * wide + 1) / 6;
}

// Three tasks of the seed's io_bound: each sleeps one unit, and answers its number.
std::vector<std::function<int()>> three_sleepers(Seconds unit) {
  std::vector<std::function<int()>> tasks;
  for (int i = 1; i <= 3; ++i) {
    tasks.emplace_back([i, unit] {
      std::this_thread::sleep_for(ticks(unit));
      say(fmt::format("T{}_imp slept {} s", i, unit.count()));
      return i;
    });
  }
  return tasks;
}

}  // namespace

// Seed 002's cpu_bound on two threads, in C++: chapter 2's parallel_sum_of_squares (2.7) on 2
// std::jthreads, over twice the unit's range, so that each thread sums one unit's worth. Without
// a GIL the two run on two cores at once: about one unit, where CPython takes two.
Outcome cpu_threads_no_gil(Seconds unit) {
  // The sums are checked, so that no call can be left out as unused.
  const auto size = calibrate(unit, 1'000'000, [](std::uint64_t n) {
    if (threads::sum_of_squares(1, 1 + n) != squares_up_to(n))
      throw std::logic_error("sum_of_squares gave a wrong sum");
  });
  // Each run's result is checked after the run, never instead of it (`ok = ok && run()` would
  // skip the work once a check failed).
  bool ok = true;
  const auto measured = best_of_interleaved(
      kRounds,
      [&] {
        const bool right = threads::sum_of_squares(1, 1 + size) == squares_up_to(size);
        ok = right && ok;
      },
      [&] {
        const bool right =
            threads::parallel_sum_of_squares(1, 1 + 2 * size, 2) == squares_up_to(2 * size);
        ok = right && ok;
      });
  return {measured.elapsed, measured.unit, ok,
          fmt::format("parallel_sum_of_squares(1, {}, 2 threads), {:.2f} CPUs busy", 1 + 2 * size,
                      measured.cpus_busy)};
}

// Seed 002's io_bound on two threads, sleeps of 1 and 2 units: chapter 2's sleep_on_threads (2.8).
Outcome io_threads(Seconds unit) {
  const std::array sleeps{ticks(unit), ticks(2 * unit)};
  const auto run = threads::sleep_on_threads(sleeps);
  const double first = Seconds(run.each.at(0)) / unit;
  const double second = Seconds(run.each.at(1)) / unit;
  say(fmt::format("T1 elapsed time: {:.2f} units\nT2 elapsed time: {:.2f} units", first, second));
  return {run.total, unit, first >= 1 && second >= 2,
          fmt::format("threads slept {:.2f} and {:.2f} units", first, second)};
}

// Seed 002's "refactored threading": each thread joined in the loop that starts it. Chapter 2's
// run_all (2.1) called on one task at a time is exactly that: it starts a thread and joins it
// before the loop goes on to the next.
Outcome join_in_loop(Seconds unit) {
  const auto tasks = three_sleepers(unit);
  std::vector<int> results;
  const auto elapsed = time_of([&] {
    for (const auto& task : tasks) {
      for (const int result : threads::run_all(std::span(&task, 1))) results.push_back(result);
    }
  });
  return {elapsed, unit, results == std::vector{1, 2, 3},
          fmt::format("run_all one task at a time: {}", results)};
}

// Seed 002's "re-refactored threading": start all, then join all — chapter 2's run_all (2.1).
Outcome start_all_then_join(Seconds unit) {
  const auto tasks = three_sleepers(unit);
  std::vector<int> results;
  const auto elapsed = time_of([&] { results = threads::run_all(tasks); });
  return {elapsed, unit, results == std::vector{1, 2, 3},
          fmt::format("run_all on all three: {}", results)};
}

}  // namespace seeds
