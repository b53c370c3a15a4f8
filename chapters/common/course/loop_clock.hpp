// course::LoopClock — the clock an event loop reads and sleeps on, passed in as a parameter.
//
// An event loop does two things with time: it reads it (is this timer due?) and it waits for it
// (nothing is due before 12:00:03, so sleep until then). Both go through a LoopClock, so that one
// loop runs on either of:
//
//  - SteadyLoopClock, the real monotonic clock: waiting really sleeps, on a condition variable
//    another thread can notify (that is how a post from another thread wakes the loop early);
//  - ManualClock, a clock that moves only when told to, or — when the loop has nothing to do but
//    wait — jumps straight to the deadline it waits for (trio's "autojump" clock). A test of
//    "a runs at 10 ms, b at 30 ms" is then exact and instant: no sleeping, no flakes.
//
// Given complete (chapters 5, 7 and 8 use it; nothing in it is an exercise).
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <vector>

namespace course {

class LoopClock {
 public:
  using duration = std::chrono::nanoseconds;
  using time_point = std::chrono::time_point<std::chrono::steady_clock, duration>;

  LoopClock() = default;
  LoopClock(const LoopClock&) = delete;
  LoopClock& operator=(const LoopClock&) = delete;
  virtual ~LoopClock() = default;

  [[nodiscard]] virtual time_point now() const = 0;

  // The loop has nothing to do before `deadline`: block until then, or until `wake` is notified,
  // or spuriously — like std::condition_variable::wait_until, which it is on the real clock.
  // `lock` holds the mutex that guards whatever another thread changes before notifying `wake`;
  // it is released while waiting and held again on return. Because a return does not say
  // why, the caller checks again, under `lock`, whether there is work before waiting again.
  virtual void wait_until(std::unique_lock<std::mutex>& lock, std::condition_variable& wake,
                          time_point deadline) = 0;
};

// The real clock: std::chrono::steady_clock, and real sleeping.
class SteadyLoopClock final : public LoopClock {
 public:
  [[nodiscard]] time_point now() const override { return std::chrono::steady_clock::now(); }

  void wait_until(std::unique_lock<std::mutex>& lock, std::condition_variable& wake,
                  time_point deadline) override {
    wake.wait_until(lock, deadline);
  }
};

// The one real clock a loop uses unless it is given another.
inline LoopClock& steady_loop_clock() {
  static SteadyLoopClock clock;
  return clock;
}

// A clock that starts at 0 and moves only by advance(), or when a loop waits on it: then it
// jumps to the deadline at once. It also remembers every deadline a loop waited for, so a test
// can tell a loop that sleeps once per timer from one that polls.
//
// Use it from the loop's thread (and from the test's, between runs).
class ManualClock final : public LoopClock {
 public:
  [[nodiscard]] time_point now() const override { return now_; }

  // Jumps to `deadline` (never backwards) instead of sleeping. A wake-up from another thread
  // is not waited for: on this clock, time passes only while nothing else can happen.
  void wait_until(std::unique_lock<std::mutex>& /*lock*/, std::condition_variable& /*wake*/,
                  time_point deadline) override {
    waits_.push_back(deadline);
    now_ = std::max(now_, deadline);
  }

  void advance(duration by) { now_ += by; }

  // Every deadline a loop waited for, in order.
  [[nodiscard]] const std::vector<time_point>& waits() const { return waits_; }

  // The time as a duration since the clock's start (0).
  [[nodiscard]] duration elapsed() const { return now_.time_since_epoch(); }

 private:
  time_point now_{};
  std::vector<time_point> waits_;
};

}  // namespace course
