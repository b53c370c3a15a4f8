// Exercise 2.8: I/O-bound threads overlap, however few the cores.
#pragma once

#include <span>
#include <vector>

#include "clock.hpp"

namespace threads {

struct IoRun {
  std::vector<Clock::duration> each;  // how long each thread's sleep took, measured in it
  Clock::duration total;              // from the first start to the last end
};

// Exercise 2.8 — sleep_on_threads(sleeps): the notebooks' I/O-bound work on threads: one thread
// per sleep, all at once; each thread times its own std::this_thread::sleep_for. Returns those
// times, in the order of `sleeps`, and the time it all took.
IoRun sleep_on_threads(std::span<const Clock::duration> sleeps);

}  // namespace threads
