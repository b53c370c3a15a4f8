// What chapter 5's tests share: a trace of which callback ran when, and runs on a ManualClock.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <course/loop_clock.hpp>
#include <course/testing.hpp>

#include "scheduler.hpp"

namespace loop_testing {

using namespace std::chrono_literals;

// A clock reading as milliseconds since the clock's start, "12.5ms" (a ManualClock starts at 0).
inline std::string at(callbacks::TimePoint moment) {
  const std::chrono::duration<double, std::milli> since_start = moment.time_since_epoch();
  return fmt::format("{:.10g}ms", since_start.count());
}

// Records "label@10ms" each time a callback it made runs, from the clock's reading then.
class Trace {
 public:
  explicit Trace(const course::LoopClock& clock) : clock_(clock) {}

  void add(const std::string& label) { entries_.push_back(label + "@" + at(clock_.now())); }
  callbacks::Callback record(std::string label) {
    return [this, label = std::move(label)] { add(label); };
  }

  [[nodiscard]] const std::vector<std::string>& entries() const { return entries_; }
  [[nodiscard]] std::string str() const { return fmt::format("{}", entries_); }

 private:
  const course::LoopClock& clock_;
  std::vector<std::string> entries_;
};

// Runs the loop on a ManualClock. If it never ends, the deadline's report says why that
// usually is: the loop does not wait through its clock, so the clock never moves.
inline void run_on(callbacks::Scheduler& loop, const course::ManualClock& clock) {
  const course::DeadlineNote note([&clock] {
    return fmt::format(
        "run() had not returned. The loop runs on a ManualClock, which moves only when the loop "
        "waits through it (clock.wait_until): it had waited {} times, and read {}.\n"
        "A loop that reads std::chrono::steady_clock, or spins on now() instead of waiting, "
        "never sees this clock move.",
        clock.waits().size(), at(clock.now()));
  });
  loop.run();
}

}  // namespace loop_testing
