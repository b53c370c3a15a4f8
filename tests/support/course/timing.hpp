// Timing assertions that hold on a shared, noisy machine.
//
// The rules (see the course README, "Tests that teach, and timing that holds"):
//  - compare two variants in the same run, interleaved A B A B ..., best (minimum) of k ≥ 5:
//    a busy neighbour slows both alike, and the minimum is the run least disturbed;
//  - a sleep's lower bound is exact (a 20 ms sleep never ends sooner), its upper bound generous;
//  - speedups are demanded from the cores present, discounted for noise, and a check that needs
//    more cores than the machine has is skipped with that reason, never passed in silence;
//  - under a sanitizer the code runs 5-15x slower and unevenly: speed is not judged there.
#pragma once

#include <concepts>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include <course/machine.hpp>
#include <course/sanitizer.hpp>
#include <course/time_scale.hpp>

namespace course {

// ---- durations -------------------------------------------------------------------------------

// Times one call of `f`.
template <std::invocable F>
Millis time_once(F&& f) {
  const auto start = std::chrono::steady_clock::now();
  std::forward<F>(f)();
  return std::chrono::steady_clock::now() - start;
}

// A generous upper bound for something that should take `expected`: one and a half times as
// long plus 25 ms of scheduling slack, stretched by COURSE_TIME_SCALE. Measured on a shared
// 2-core machine: a 5 ms sleep took up to 7.9 ms (p99); three 20 ms sleeps in a row took
// 60.3–60.5 ms idle (20 runs) and 60.3–60.4 ms beside one or two busy processes (15 runs), far
// below the 115 ms this allows them.
Millis generous(Millis expected);

// elapsed ≥ bound, exactly: what a sleep (or a sequence of them) cannot beat.
::testing::AssertionResult took_at_least(Millis elapsed, Millis bound);
// elapsed ≤ bound; pass a generous() bound.
::testing::AssertionResult took_at_most(Millis elapsed, Millis bound);

// ---- comparing two variants -------------------------------------------------------------------

struct Comparison {
  std::string name_a, name_b;
  std::vector<Millis> samples_a, samples_b;  // in the order they ran

  [[nodiscard]] Millis best_a() const;
  [[nodiscard]] Millis best_b() const;
  // How many times faster b ran than a, best against best.
  [[nodiscard]] double speedup() const;
  // "sequential: best 40.1 ms of 40.1 40.9 41.3 40.4 40.2 | threads: best 20.4 ms of ... | 1.97×"
  [[nodiscard]] std::string describe() const;
};

// The CPU time the calling thread has used (CLOCK_THREAD_CPUTIME_ID, to the nanosecond).
Millis thread_cpu_time();

// Times one call of `f` by the CPU time the calling thread spent in it: unlike the wall-clock
// time, not stretched while another process has the core. For single-threaded work that never
// waits (a loop on a manual clock): beside stress-ng --cpu 2 the wall time of a 3–5 ms run was
// stretched by a time slice in most runs, its CPU time was not.
template <std::invocable F>
Millis cpu_time_once(F&& f) {
  const Millis start = thread_cpu_time();
  std::forward<F>(f)();
  return thread_cpu_time() - start;
}

// How compare_interleaved times a run: by the wall clock, or by the thread's CPU time.
struct WallTime {
  template <std::invocable F>
  Millis operator()(F& f) const {
    return time_once(f);
  }
};
struct ThreadCpuTime {
  template <std::invocable F>
  Millis operator()(F& f) const {
    return cpu_time_once(f);
  }
};

// Runs `a` and `b` alternately, `rounds` times each (a first), timing every run with `timer`.
template <std::invocable A, std::invocable B, class Timer = WallTime>
Comparison compare_interleaved(std::string name_a, A&& a, std::string name_b, B&& b, int rounds = 5,
                               Timer timer = {}) {
  Comparison result{std::move(name_a), std::move(name_b), {}, {}};
  for (int round = 0; round < rounds; ++round) {
    result.samples_a.push_back(timer(a));
    result.samples_b.push_back(timer(b));
  }
  return result;
}

// The least speedup a test may demand of `workers` threads on this machine:
//   1 + (min(workers, cores) - 1) × efficiency
// Measured for the efficiency while the course was designed: two CPU-bound threads gave 2.0× on
// an idle 2-core machine but 1.3–1.5× with a competing busy process, so 0.25 (1.25× on 2 cores)
// is what holds there. Chapters may pass their own efficiency, from their own measurements.
inline constexpr double kDefaultSpeedupEfficiency = 0.25;
double speedup_bar(unsigned workers, double efficiency = kDefaultSpeedupEfficiency);

// comparison.speedup() ≥ bar; records the figure for the grader either way.
::testing::AssertionResult speedup_at_least(const Comparison& comparison, double bar);
// comparison.speedup() ≤ ceiling (e.g. "threads under a GIL are not faster").
::testing::AssertionResult speedup_at_most(const Comparison& comparison, double ceiling);

// Measures up to `attempts` times, and stops at the first measurement `passes` accepts: returns
// that one, or the last. Each measurement should already be a best of k; a fresh attempt helps
// when a busy neighbour spoiled a whole one (on a shared 2-core machine, a speedup measured
// best-of-5 fell below its bar in about 1 attempt out of 6 beside a busy process).
template <std::invocable Measure, class Passes>
auto measure_until(int attempts, Measure&& measure, Passes&& passes) {
  auto measured = measure();
  for (int attempt = 1; attempt < attempts && !passes(measured); ++attempt) measured = measure();
  return measured;
}

// How many cores' worth of CPU this process used while `f` ran: its CPU time (all threads)
// over the wall-clock time. One thread at a time can never use more than 1; above 1, threads
// ran at the same moment on different cores. (Sleeping threads, like the deadline watchdog's,
// use none.)
double cpu_parallelism(const std::function<void()>& f);

// The CPU time (user and system) getrusage reports for `who`: RUSAGE_THREAD (the calling
// thread), RUSAGE_SELF (this process) or RUSAGE_CHILDREN (the children it has waited for).
Millis rusage_cpu_time(int who);
// This process's CPU time and that of the children it has waited for: work it forked out.
Millis cpu_time_with_children();

// How many cores' worth of CPU other processes (and the hypervisor's other guests) took while
// `f` ran: the machine's busy time (/proc/stat) less this process's own CPU time, over the wall
// time. /proc/stat counts in 10 ms ticks, so the window is at least 100 ms: when `f` is quicker,
// it waits out the rest. Negative when /proc/stat cannot be read.
double other_load_during(const std::function<void()>& f);

// ---- when not to judge -------------------------------------------------------------------------

// Why this machine cannot run a check that needs `cores` cores, or nothing when it can.
std::optional<std::string> missing_cores(unsigned cores);
// Why speed cannot be judged in this build (a sanitizer), or nothing when it can.
std::optional<std::string> speed_untrusted();

// Why a speedup measured while other processes used `other_load` cores cannot be judged, or
// nothing when it can. Measured: two CPU-bound threads beside one busy process on 2 cores used
// 1.22–1.50 cores at once, yet their best time against one thread's best ranged 0.89–1.76×: the
// one thread sometimes had a core to itself, the two never. Above half a core of other load a
// speedup is recorded, not judged; what the threads did at once (cpu_parallelism) still is.
std::optional<std::string> too_busy_for_speedup(double other_load);

}  // namespace course

// Skips the test, with the reason, on a machine with fewer than `n` usable cores.
#define COURSE_REQUIRE_CORES(n)                                       \
  if (const auto course_missing_cores = ::course::missing_cores(n)) { \
    GTEST_SKIP() << *course_missing_cores;                            \
  }                                                                   \
  static_assert(true, "a semicolon after COURSE_REQUIRE_CORES(n) is needed")

// Skips the rest of the test, with the reason, in a build where speed is not judged.
#define COURSE_REQUIRE_TRUSTED_TIMING()                                  \
  if (const auto course_speed_untrusted = ::course::speed_untrusted()) { \
    GTEST_SKIP() << *course_speed_untrusted;                             \
  }                                                                      \
  static_assert(true, "a semicolon after COURSE_REQUIRE_TRUSTED_TIMING() is needed")
