// Exercise 1.5: CPU-bound or I/O-bound? Measure wall-clock time and CPU time.
#pragma once

#include <functional>
#include <ostream>

#include "clock.hpp"

namespace synchronous {

struct Usage {
  Clock::duration wall;  // time that passed on the clock on the wall
  Clock::duration cpu;   // time the calling thread spent running on a CPU
};

// Exercise 1.5 — measure_usage(work): runs work() once on the calling thread and returns both
// the wall-clock time it took (Clock) and the CPU time the calling thread used meanwhile
// (POSIX: clock_gettime with CLOCK_THREAD_CPUTIME_ID).
Usage measure_usage(const std::function<void()>& work);

enum class Bound { cpu, io };

// Writes "cpu" or "io" (for messages, and for the tests' output). (Given.)
inline std::ostream& operator<<(std::ostream& out, Bound bound) {
  return out << (bound == Bound::cpu ? "cpu" : "io");
}

// Exercise 1.5 — classify(usage): Bound::cpu when the thread ran on a CPU for at least half of
// the wall-clock time, Bound::io otherwise (it spent most of the time waiting).
// A zero wall time counts as Bound::cpu.
Bound classify(const Usage& usage);

}  // namespace synchronous
