// Given: the clock the chapter measures with, and what timed() returns (exercise 1.1).
#pragma once

#include <chrono>

namespace synchronous {

// A monotonic clock: it never jumps when someone sets the time of day, so the difference of
// two readings is always the time that passed. Measure durations with it, never system_clock.
using Clock = std::chrono::steady_clock;

// What timed() returns: the callable's result and how long the call took.
template <class T>
struct Timed {
  T value;
  Clock::duration elapsed;
};

// A callable that returns nothing gives only the time.
template <>
struct Timed<void> {
  Clock::duration elapsed;
};

}  // namespace synchronous
