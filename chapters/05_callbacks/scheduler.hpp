// Exercises 5.2 and 5.6: a single-threaded scheduler — asyncio's event loop, with callbacks.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include <course/loop_clock.hpp>

namespace callbacks {

using Callback = std::function<void()>;
using ExceptionHandler = std::function<void(std::exception_ptr)>;
using Clock = course::LoopClock;
using Duration = Clock::duration;
using TimePoint = Clock::time_point;

// What a scheduled callback is, shared by its Handle and the scheduler's queue.
struct ScheduledCallback {
  enum class Status { pending, ran, cancelled };
  Callback callback;
  Status status = Status::pending;
};

// Returned by call_soon, call_later and call_at: a way to take the callback back.
class Handle {
 public:
  Handle() = default;  // a handle to nothing: cancel() does nothing
  explicit Handle(std::shared_ptr<ScheduledCallback> scheduled)
      : scheduled_(std::move(scheduled)) {}

  // Exercise 5.2 — stops the callback from running, if it has not run (or started) yet, and
  // returns whether it did. Cancelling twice, or after the callback ran, returns false. A
  // cancelled callback is let go of at once (what it captured is freed), as a callback that ran
  // is let go of by the loop.
  bool cancel();
  // Whether the callback is still to run: not run, not started, not cancelled.
  [[nodiscard]] bool pending() const;

 private:
  std::shared_ptr<ScheduledCallback> scheduled_;
};

// Exercise 5.2 — one thread runs every callback, one at a time, each when it is due.
//
//  - call_soon(f) runs f as soon as the loop gets to it; call_later(d, f) when d has passed
//    from the moment of the call; call_at(t, f) when the clock reads t. Callbacks due at the
//    same time run in the order they were scheduled.
//  - run() runs callbacks until nothing is scheduled (a cancelled callback does not count), and
//    callbacks may schedule more. While nothing is due it waits — through its clock, once per
//    deadline, never polling — so a waiting loop uses no CPU.
//  - A callback that throws does not stop the loop: the exception goes to the exception handler
//    (by default one that prints it to stderr), and the loop goes on.
//  - The clock is a parameter: the real one by default, a ManualClock in tests. The scheduler
//    reads the time and waits only through it.
//
// Everything but call_soon_threadsafe is for the loop's own thread (its callbacks, or the code
// that calls run()).
class Scheduler {
 public:
  explicit Scheduler(Clock& clock = course::steady_loop_clock());
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  [[nodiscard]] TimePoint now() const;

  Handle call_soon(Callback callback);
  Handle call_later(Duration delay, Callback callback);
  Handle call_at(TimePoint when, Callback callback);

  void run();

  void set_exception_handler(ExceptionHandler handler);

  // Exercise 5.6 — the one call another thread may make: schedules `callback` to run soon on
  // the loop's thread and wakes the loop if it is waiting, at once (not at its next timer).
  // Callbacks posted from one thread run in the order they were posted.
  void call_soon_threadsafe(Callback callback);

 private:
  Clock& clock_;
  ExceptionHandler exception_handler_;
  // TODO(5.2): what the loop keeps: the callbacks still to run, each with its deadline and
  // the order it was scheduled in, so that the earliest deadline comes first (and of two with
  // one deadline, the one scheduled first). Handles share a ScheduledCallback with it. And what
  // clock_.wait_until needs: a std::mutex and a std::condition_variable (nothing notifies it
  // before exercise 5.6).
  // TODO(5.6): what another thread hands over (guarded by that mutex).
};

}  // namespace callbacks
