// What chapter 7's loop tests share: times as text, a trace of what ran when, runs on a
// ManualClock that explain a hang.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <course/loop_clock.hpp>
#include <course/testing.hpp>

#include "event_loop.hpp"
#include "sleep.hpp"
#include "task.hpp"

namespace loop_testing {

using namespace std::chrono_literals;
using Strings = std::vector<std::string>;

// A clock reading as milliseconds since the clock's start, "12.5ms" (a ManualClock starts at 0).
inline std::string at(course::LoopClock::time_point moment) {
  const std::chrono::duration<double, std::milli> since_start = moment.time_since_epoch();
  return fmt::format("{:.10g}ms", since_start.count());
}

// Records "label@10ms" from the clock's reading when add() is called.
class Trace {
 public:
  explicit Trace(const course::LoopClock& clock) : clock_(clock) {}
  void add(const std::string& label) { entries_.push_back(label + "@" + at(clock_.now())); }
  [[nodiscard]] const Strings& entries() const { return entries_; }

 private:
  const course::LoopClock& clock_;
  Strings entries_;
};

// loop.run(main) on a ManualClock; if it never returns, the deadline's report says what that
// usually means.
template <class T>
T run_on(coro::EventLoop& loop, const course::ManualClock& clock, coro::Task<T> main) {
  const course::DeadlineNote note([&clock] {
    return fmt::format(
        "run() had not returned. The loop runs on a ManualClock, which moves only when the loop "
        "waits through it (clock.wait_until): it had waited {} times, and read {}. A loop that "
        "reads std::chrono::steady_clock, or spins on now() instead of waiting, never sees this "
        "clock move.",
        clock.waits().size(), at(clock.now()));
  });
  return loop.run(std::move(main));
}

// Counts its destruction: a local of a task, it shows the task's frame was unwound or destroyed.
struct Guard {
  int* released;
  explicit Guard(int& count) : released(&count) {}
  Guard(const Guard&) = delete;
  Guard& operator=(const Guard&) = delete;
  ~Guard() { ++*released; }
};

// A task that sleeps `delay`, then gives 42.
inline coro::Task<int> answer_after(std::chrono::milliseconds delay) {
  co_await coro::sleep(delay);
  co_return 42;
}

}  // namespace loop_testing
