#include "usage.hpp"

#include <chrono>

#include <time.h>

namespace synchronous {

namespace {

// The CPU time the calling thread has used since it started. Sleeping, waiting for a lock or
// for I/O uses none; only running instructions does.
Clock::duration thread_cpu_time() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return std::chrono::duration_cast<Clock::duration>(std::chrono::seconds(now.tv_sec) +
                                                     std::chrono::nanoseconds(now.tv_nsec));
}

}  // namespace

Usage measure_usage(const std::function<void()>& work) {
  const auto wall_start = Clock::now();
  const auto cpu_start = thread_cpu_time();
  work();
  const auto cpu_end = thread_cpu_time();
  return Usage{Clock::now() - wall_start, cpu_end - cpu_start};
}

Bound classify(const Usage& usage) {
  // Teacher's note: cpu ≥ wall / 2, written without a division so a zero wall time is fine.
  return 2 * usage.cpu >= usage.wall ? Bound::cpu : Bound::io;
}

}  // namespace synchronous
