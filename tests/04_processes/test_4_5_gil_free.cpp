// Exercise 4.5: processes bypass the GIL — each has an interpreter, and a GIL, of its own.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <course/testing.hpp>
#include <toy/programs.hpp>

#include "gil_free.hpp"
#include "process_test.hpp"

namespace {

using processes::run_on_processes;
using processes::run_on_threads;
using GilFree = processes_testing::ProcessTest;

TEST_F(GilFree, EveryProcessRunsTheProgram) {
  EXPECT_EQ(run_on_processes(toy::count_to(1000), 3), (std::vector<long>{1000, 1000, 1000}));
  EXPECT_EQ(run_on_processes(toy::count_to(5), 1), std::vector<long>{5});
}

// Structural, and so judged on a busy machine too: the processes are all started before any is
// waited for, so all of them are alive (running or ready to run, not yet ended) at one moment.
// The test watches this process's children in /proc while run_on_processes counts. Children
// started one at a time, each awaited before the next, are never alive together. Beside
// stress-ng --cpu 2: the reference passed 10 of 10 runs, that mistake failed 10 of 10.
TEST_F(GilFree, TheProcessesAreAllAliveAtOnce) {
  constexpr int kProcesses = 3;
  std::atomic<bool> done{false};
  std::vector<long> results;
  std::jthread runner([&] {
    results = run_on_processes(toy::count_to(300'000), kProcesses);
    done = true;
  });
  std::size_t most_alive = 0;
  while (!done && most_alive < kProcesses) {
    const auto children = course::child_processes();
    const auto alive = static_cast<std::size_t>(
        std::count_if(children.begin(), children.end(),
                      [](const course::ChildProcess& child) { return child.state != 'Z'; }));
    most_alive = std::max(most_alive, alive);
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  runner.join();
  EXPECT_EQ(results, (std::vector<long>(kProcesses, 300'000)));
  EXPECT_EQ(most_alive, std::size_t{kProcesses})
      << "at most " << most_alive << " of the " << kProcesses
      << " children were alive at once: start them all (fork each, keep its pipe), then read "
         "their answers and wait for them";
}

// Interpreted counting on one thread or process per core: threads under one GIL take turns;
// processes, each with a GIL of its own, compute at once. Measured on a shared 2-core machine,
// 20 runs idle: the processes used 1.85–1.99 cores and ran 1.74–2.26× as fast as the threads
// (which used 1.03–1.22 cores: the mutex wakes its waiter at every turn). Beside a busy process
// the processes got 1.00–1.20 cores and 0.93–1.24×: not judged there (10 runs). The bars: 1.1
// cores and 1.1× on 2 cores.
TEST_F(GilFree, ProcessesComputeAtOnceThreadsDoNot) {
  // Up to 3 measurements: 0.3–0.5 s idle, 1.3–1.8 s beside one busy process, 1.7–2.4 s beside
  // three. The deadline leaves room for a machine busier still.
  course::set_deadline(std::chrono::seconds(15));
  const int cores = static_cast<int>(course::usable_cores());
  const toy::Program work = toy::count_to(300'000);
  double threads_parallelism = 0;
  double processes_parallelism = 0;
  course::Comparison comparison;
  const double others = course::other_load_during([&] {
    comparison = course::measure_until(
        3,
        [&] {
          return course::compare_interleaved(
              fmt::format("{} threads", cores),
              [&] {
                threads_parallelism =
                    std::max(threads_parallelism,
                             course::cpu_parallelism([&] { (void)run_on_threads(work, cores); }));
              },
              fmt::format("{} processes", cores),
              [&] {
                const auto cpu_before = course::cpu_time_with_children();
                const auto wall = course::time_once([&] { (void)run_on_processes(work, cores); });
                processes_parallelism = std::max(
                    processes_parallelism, (course::cpu_time_with_children() - cpu_before) / wall);
              });
        },
        [&](const course::Comparison& measured) {
          return measured.speedup() >= course::speedup_bar(cores, 0.1);
        });
  });
  // The threads, under one GIL, take turns — given code, so a figure to look at, not a test of
  // yours (their waiting costs a little CPU too: the mutex wakes the waiter at each turn).
  course::record_figure("threads' parallelism", fmt::format("{:.2f} cores", threads_parallelism));
  COURSE_REQUIRE_CORES(2);
  COURSE_REQUIRE_TRUSTED_TIMING();
  const std::string parallelism = fmt::format("{:.2f} cores", processes_parallelism);
  const std::string speedup = fmt::format("{:.2f}×", comparison.speedup());
  if (const auto busy = course::too_busy_for_speedup(others)) {
    course::record_unjudged("parallelism", parallelism, *busy);
    course::record_unjudged("speedup", speedup, *busy);
    return;
  }
  course::record_figure("parallelism", parallelism, fmt::format("≥ {:.2f}", 1 + 0.1 * (cores - 1)));
  EXPECT_GE(processes_parallelism, 1 + 0.1 * (cores - 1))
      << "the processes never computed at the same time: start them all before waiting for any";
  EXPECT_TRUE(course::speedup_at_least(comparison, course::speedup_bar(cores, 0.1)))
      << "one process per core must finish sooner than one thread per core under a GIL";
}

}  // namespace
