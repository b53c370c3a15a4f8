// The seeds' experiments in C++, as the course's chapters built them: what each experiment
// measured, and the functions that run them (one file per chapter whose reference solutions they
// call: seeds_sync.cpp uses chapter 1, seeds_threads.cpp chapter 2, seeds_gil.cpp chapter 3,
// seeds_processes.cpp chapter 4, seeds_coroutines.cpp chapter 7). The chapters are kept to
// files of their own because their given headers share names (chapters 1 and 2 both give a
// "clock.hpp"): a file sees one chapter's include folders only.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace seeds {

using Seconds = std::chrono::duration<double>;

// What one run of an experiment gives: experiments.cpp prints it as the JSON line.
struct Outcome {
  Seconds elapsed;     // the experiment, timed as the seed times it
  Seconds unit;        // one unit: the delay asked for, or the CPU work measured alone
  bool result_ok;      // the experiment's own result was right ([1, 4, 9], the users...)
  std::string detail;  // a short line: the result, or how the work was split
};

// The seeds' print(): to stderr with --verbose, nowhere without it (stdout is for the JSON).
void say(const std::string& line);
void set_verbose(bool verbose);

// The size of CPU work for which work(size) takes about `unit`: grows `size` until one run
// takes an eighth of the unit (long enough to measure), then scales it, the work growing
// linearly with its size, and scales it again after one run at that size.
std::uint64_t calibrate(Seconds unit, std::uint64_t size,
                        const std::function<void(std::uint64_t)>& work);

// A CPU row's two times: one unit of work alone, and the experiment.
struct Measured {
  Seconds unit;
  Seconds elapsed;
  // The CPU time this process and its children used in the best experiment round, over its
  // wall time: about 2 when two threads or processes really ran at once. It tells a missing
  // speedup's causes apart: about 1 is the GIL, or another process holding the other CPU (the
  // threads shared one); 2 with no speedup is two CPUs that are not two cores' worth (a shared
  // host, SMT siblings).
  double cpus_busy;
};

// Times one_unit() and experiment() by turns, `rounds` times, and keeps the best of each: on a
// shared machine a busy moment only ever slows a run down, and taking turns exposes both to the
// same moments (the course's timing rule: best of k, interleaved).
Measured best_of_interleaved(int rounds, const std::function<void()>& one_unit,
                             const std::function<void()>& experiment);

// How many rounds the CPU rows take.
constexpr int kRounds = 3;

// Times one call of f.
template <class F>
Seconds time_of(F&& f) {
  const auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::steady_clock::now() - start;
}

// Chapter 1 (seeds_sync.cpp).
Outcome three_users_sync(Seconds unit);
Outcome cake_sequential(Seconds minute);

// Chapter 2 (seeds_threads.cpp).
Outcome cpu_threads_no_gil(Seconds unit);
Outcome io_threads(Seconds unit);
Outcome join_in_loop(Seconds unit);
Outcome start_all_then_join(Seconds unit);

// Chapter 3 (seeds_gil.cpp).
Outcome cpu_threads_gil(Seconds unit);

// Chapter 4 (seeds_processes.cpp).
Outcome cpu_processes(Seconds unit);
Outcome pool_map(Seconds unit);

// Chapter 7 (seeds_coroutines.cpp).
Outcome three_users_async_blocking(Seconds unit);
Outcome three_users_gather(Seconds unit);
Outcome five_tasks_gather(Seconds unit);
Outcome cake_concurrent(Seconds minute);

}  // namespace seeds
