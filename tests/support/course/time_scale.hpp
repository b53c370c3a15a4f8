// COURSE_TIME_SCALE: one environment variable that stretches every duration and deadline the
// tests use, for machines slower than the ones the thresholds were measured on.
//
//   COURSE_TIME_SCALE=3 ctest --test-dir build -L chapter2
//
// Sleeps in tests are scaled so that the time a test waits stays large against the machine's
// scheduling noise; deadlines are scaled so that a slow machine is not mistaken for a stuck one.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace course {

// The unit every message about time is written in.
using Millis = std::chrono::duration<double, std::milli>;

// The factor from COURSE_TIME_SCALE (1 when unset).
double time_scale();

// `d` stretched by time_scale(), e.g. sleep_for(course::scaled(20ms)).
template <class Rep, class Period>
std::chrono::nanoseconds scaled(std::chrono::duration<Rep, Period> d) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::duration<double, std::nano>(d) * time_scale());
}

// "20.1 ms", or "5.00 s" from a second on: how the tests write a duration.
std::string format_millis(Millis d);

// What is wrong with COURSE_TIME_SCALE, in words, or nothing when it is unset or usable.
// The test programs refuse to start with a bad value rather than guess.
std::optional<std::string> time_scale_problem();

}  // namespace course
