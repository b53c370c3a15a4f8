// Exercise 3.3: CPython 3.2's GIL — a switch interval, drop requests, forced switching.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <thread>
#include <vector>

#include <sys/resource.h>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <course/testing.hpp>
#include <toy/programs.hpp>

#include "gil_run.hpp"
#include "new_gil.hpp"

namespace {

using namespace std::chrono_literals;
using gil_testing::run_threads;

TEST(NewGil, LetsOneThreadRunAtATime) {
  gil::NewGil lock;
  gil_testing::expect_one_thread_at_a_time(lock);
}

TEST(NewGil, NeverAsksAThreadAloneToLetGo) {
  gil::NewGil lock;
  const toy::Code code(toy::count_to(300'000));
  const auto run = run_threads(lock, code, 1);
  EXPECT_EQ(run.stats[0].yields, 0)
      << "nobody waited, so nobody asked: should_yield() is true only after a waiter's interval "
         "ran out (Python 2's GIL let go every 100 ticks anyway; this one does not)";
  EXPECT_EQ(run.switches, 0);
}

// Two CPU-bound threads for about 350 ms: the waiting one asks after each 5 ms interval, so the
// GIL changes hands about once per 5 ms that its holder actually ran. The fewest switches come
// from the process's CPU time (one thread at a time runs, the waiter sleeps): a busy machine
// stretches the wall time but not that. The most come from the wall time, as a waiter's
// interval runs out by the clock on the wall. Measured idle: 47–77 switches in about 360 ms;
// beside a busy process 33–59 (wall-time bars failed the reference there, 9 against 36). The
// bars are a quarter of the CPU-time count and twice the wall-time count; beside more than half
// a core of other load the figure is recorded, not judged.
TEST(NewGil, ThreadsTakeTurnsAboutEveryInterval) {
  gil::NewGil lock;
  const toy::Code code(toy::count_to(1'500'000));
  gil_testing::GilRun run;
  course::Millis cpu{0};
  const double others = course::other_load_during([&] {
    const auto cpu_before = course::rusage_cpu_time(RUSAGE_SELF);
    run = run_threads(lock, code, 2);
    cpu = course::rusage_cpu_time(RUSAGE_SELF) - cpu_before;
  });
  const double by_cpu = cpu / course::scaled(5ms);
  const double by_wall = run.elapsed / course::scaled(5ms);
  const auto fewest = static_cast<long>(std::ceil(by_cpu / 4));
  const auto most = static_cast<long>(by_wall * 2) + 4;
  EXPECT_GE(run.stats[0].yields, 1) << "the first thread was never asked to let go";
  EXPECT_GE(run.stats[1].yields, 1) << "the second thread was never asked to let go";
  const std::string switches = fmt::format("{}", run.switches);
  if (const auto busy = course::too_busy_for_speedup(others)) {
    course::record_unjudged("switches", switches, *busy);
    return;
  }
  course::record_figure("switches", switches,
                        fmt::format("{} to {}; one per 5 ms interval would be {:.0f} in {} of "
                                    "CPU time ({} on the wall)",
                                    fewest, most, by_cpu, course::format_millis(cpu),
                                    course::format_millis(run.elapsed)));
  EXPECT_GE(run.switches, fewest)
      << "too few switches: either the waiting thread does not ask for the GIL after each "
         "interval it waits, or the holder lets go and takes it straight back before the asker "
         "runs (drop() on request must wait until another thread holds it)";
  EXPECT_LE(run.switches, most)
      << "too many switches: ask only after a whole interval without a switch";
}

// Forced switching: a thread that lets go because it was asked returns from drop() only once
// the thread that asked holds the GIL. Without it, drop() returns at once, and the thread that
// let go would usually take the GIL back before the woken waiter even runs. (Twenty rounds: a
// drop() that does not wait returns before the switch in nearly every one.)
TEST(NewGil, LettingGoOnRequestWaitsUntilTheAskerHasIt) {
  for (int round = 0; round < 20; ++round) {
    gil::NewGil lock(std::chrono::milliseconds(1));
    lock.take();
    std::jthread asker([&lock] {
      lock.take();
      lock.drop();
    });
    // The asker's 1 ms interval runs out, and it asks; a second is far more than it needs.
    const auto give_up = std::chrono::steady_clock::now() + course::scaled(1s);
    while (!lock.should_yield() && std::chrono::steady_clock::now() < give_up) {
      std::this_thread::sleep_for(100us);
    }
    ASSERT_TRUE(lock.should_yield())
        << "round " << round
        << ": a thread waited in take() for a second (its interval is 1 ms) and never asked the "
           "holder to let go: when a wait of one interval times out with no switch meanwhile, "
           "set the drop request";
    const long switches_before = lock.switches();
    lock.drop();
    ASSERT_EQ(lock.switches(), switches_before + 1)
        << "round " << round
        << ": drop() on request returned before the thread that asked held the GIL — after "
           "dropping on request, wait until another thread has taken it (forced switching)";
  }
}

// CPU-bound interpreted work: two threads of half the work against one thread of all of it.
// Measured on a shared 2-core machine: between them the two threads used 1.00–1.01 cores (20
// runs idle, 10 beside a busy process), and ran 0.75–1.17× as fast as one thread — more than
// 1 now and then, from noise and two memory arenas, never near the 1.8–2.0× of real
// parallelism. The bars: 1.15 cores, and 1.4×.
TEST(NewGil, CpuBoundThreadsGetNoSpeedup) {
  gil::NewGil lock;
  const toy::Code whole(toy::count_to(400'000));
  const toy::Code half(toy::count_to(200'000));
  double parallelism = 0;
  const auto comparison = course::measure_until(
      3,
      [&] {
        return course::compare_interleaved(
            "one thread", [&] { (void)run_threads(lock, whole, 1); }, "two threads",
            [&] {
              parallelism = std::max(
                  parallelism, course::cpu_parallelism([&] { (void)run_threads(lock, half, 2); }));
            });
      },
      [](const course::Comparison& measured) { return measured.speedup() <= 1.4; });
  course::record_figure("parallelism", fmt::format("{:.2f} cores", parallelism), "≤ 1.15");
  EXPECT_LE(parallelism, 1.15)
      << "under the GIL the threads used more than one core's worth of CPU: a thread waiting for "
         "the GIL must sleep on the condition variable, not spin";
  COURSE_REQUIRE_TRUSTED_TIMING();
  EXPECT_TRUE(course::speedup_at_most(comparison, 1.4))
      << "interpreted CPU-bound work on two threads under a GIL cannot be faster than on one";
}

// The convoy effect: an I/O-bound thread lets go of the GIL for each short wait, and then must
// get it back from a CPU-bound thread — which lets go only when asked, at its next check point
// after the I/O thread's interval has run out: about one interval per wait. Measured with a
// 5 ms interval: median 5.1–5.2 ms, p90 5.1–6.9 ms (40 runs idle, 20 beside a busy process).
TEST(NewGil, AnIoThreadWaitsAboutOneIntervalForTheGil) {
  constexpr int kWaits = 20;
  const auto interval = course::scaled(5ms);
  gil::NewGil lock(std::chrono::duration_cast<std::chrono::microseconds>(interval));
  std::atomic<bool> io_done{false};
  std::vector<course::Millis> latencies;  // written by the I/O thread only
  std::vector<toy::Builtin> builtins{
      {"io",
       [&](toy::Gil& held, long milliseconds) {
         held.drop();
         std::this_thread::sleep_for(std::chrono::milliseconds(milliseconds));
         const auto woke = std::chrono::steady_clock::now();
         held.take();
         latencies.emplace_back(std::chrono::steady_clock::now() - woke);
         if (latencies.size() == kWaits) io_done = true;
         return 0L;
       }},
      {"busy", [&](toy::Gil&, long) { return io_done ? 0L : 1L; }},
  };
  const toy::Code io(toy::call_repeatedly("io", kWaits, 2));
  const toy::Code cpu(toy::spin_while("busy"));
  gil_testing::GilRun run;
  const double others = course::other_load_during([&] {
    run = run_threads(lock, {&io, &cpu}, builtins);
  });
  ASSERT_EQ(latencies.size(), std::size_t{kWaits});
  std::sort(latencies.begin(), latencies.end());
  const course::Millis median = latencies[kWaits / 2];
  const course::Millis p90 = latencies[kWaits * 9 / 10];
  const course::Millis shortest = course::Millis(interval) / 2;
  // Three intervals; under a sanitizer, which slows the holder's check points, about nine.
  const course::Millis longest =
      course::speed_untrusted() ? course::generous(3 * interval) : course::Millis(3 * interval);
  // Beside other busy processes the waits are the scheduler's as much as the GIL's: a GIL that
  // asks at once measured 2.5-4 ms there (over half an interval), and is not told apart.
  if (const auto busy = course::too_busy_for_speedup(others)) {
    course::record_unjudged("median wait", course::format_millis(median), *busy);
    return;
  }
  course::record_figure(
      "median wait", course::format_millis(median),
      fmt::format("{} to {}: about one interval, {}", course::format_millis(shortest),
                  course::format_millis(longest), course::format_millis(interval)));
  course::record_figure("p90 wait", course::format_millis(p90));
  EXPECT_GE(median.count(), shortest.count())
      << "the I/O thread got the GIL back in " << course::format_millis(median)
      << " (the median), less than half an interval: either the CPU-bound thread let go without "
         "being asked, or the I/O thread asked at once instead of after waiting a whole interval";
  EXPECT_LE(median.count(), longest.count())
      << "the I/O thread waited far more than an interval: after its interval runs out, it must "
         "ask, and the holder let go at its next check point";
}

}  // namespace
