// Exercise 3.3: CPython 3.2's GIL — a switch interval, drop requests, forced switching.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <toy/gil.hpp>

namespace gil {

// Exercise 3.3 — NewGil: the GIL CPython has had since 3.2 (Python/ceval_gil.c).
//  - The GIL is a flag, `locked_`, guarded by a mutex; threads that want it wait on a condition
//    variable.
//  - A waiting thread waits at most one `interval` (5 ms by default) at a time. If the wait
//    times out and no switch happened meanwhile (the same thread still holds it), it sets
//    `drop_request_`: please let go.
//  - should_yield() — asked by the holder at every check point — is that request. A thread
//    alone is never asked: nobody waits.
//  - Forced switching: a thread that lets go *because it was asked* then waits until another
//    thread has taken the GIL, before it may ask for it again. Otherwise, on a machine with
//    several cores, the running thread would take it straight back, before the woken waiter
//    is even scheduled.
//  - switches() counts the times the GIL passed to another thread.
class NewGil final : public toy::Gil {
 public:
  explicit NewGil(std::chrono::microseconds interval = std::chrono::milliseconds(5))
      : interval_(interval) {}

  void take() override;
  void drop() override;
  bool should_yield() override;
  [[nodiscard]] long switches() const override;

  // Python's sys.getswitchinterval().
  [[nodiscard]] std::chrono::microseconds interval() const { return interval_; }

 private:
  const std::chrono::microseconds interval_;
  // TODO(3.3): the mutex; a condition variable the waiters wait on (`released_`), and another
  // the dropping thread waits on for the switch (`switched_`); `locked_`; the last holder; the
  // number of switches (a std::atomic<long>: switches() may be read any time); and `drop_request_`,
  // a std::atomic<bool> (the holder reads it without the mutex).
};

}  // namespace gil
