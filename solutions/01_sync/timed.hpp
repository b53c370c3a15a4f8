// Exercises 1.1 and 1.2: measuring how long a call takes.
#pragma once

#include <chrono>
#include <concepts>
#include <functional>
#include <iostream>
#include <string>
#include <type_traits>
#include <utility>

#include <fmt/format.h>

#include "clock.hpp"

namespace synchronous {

// Exercise 1.1 — timed(f, args...): calls f(args...) once and returns its result together with
// how long the call took, measured on Clock.
//  - Any callable: a function, a lambda, an object with operator().
//  - The arguments go to f exactly as they were given: an lvalue as an lvalue (f may change
//    it), a temporary as a temporary (a move-only argument must work).
//  - A result that can only be moved (std::unique_ptr) must work too.
//  - For a callable that returns void, return Timed<void>: just the time.
//  - If f throws, the exception goes through to the caller.
template <class F, class... Args>
requires std::invocable<F, Args...> Timed<std::invoke_result_t<F, Args...>> timed(F&& f,
                                                                                  Args&&... args) {
  // Teacher's note: std::invoke handles every kind of callable; std::forward keeps each
  // argument's value category. The common mistakes are taking F or Args by value (copies,
  // and move-only arguments stop compiling) and timing with system_clock.
  const auto start = Clock::now();
  if constexpr (std::is_void_v<std::invoke_result_t<F, Args...>>) {
    std::invoke(std::forward<F>(f), std::forward<Args>(args)...);
    return {Clock::now() - start};
  } else {
    // In a braced initialiser the elements are evaluated left to right, so the call runs
    // (its result built in place, even a move-only one) before the clock is read again.
    return {std::invoke(std::forward<F>(f), std::forward<Args>(args)...), Clock::now() - start};
  }
}

// Exercise 1.2 — a timer with a name, like the notebooks' Python decorator:
//
//   auto squares = named_timer("squares", sum_of_squares);
//   auto total = squares(1, 10'000'000, 1);   // writes "squares elapsed time: 9.87 ms\n"
//
// Every call forwards its arguments to the wrapped callable, writes one line
//   <name> elapsed time: <milliseconds, two decimals> ms
// to the log stream, and returns what the callable returned (nothing, for void).
template <class F>
class NamedTimer {
 public:
  NamedTimer(std::string name, F f, std::ostream& log)
      : name_(std::move(name)), f_(std::move(f)), log_(&log) {}

  template <class... Args>
  requires std::invocable<F&, Args...> std::invoke_result_t<F&, Args...>
  operator()(Args&&... args) {
    auto result = timed(f_, std::forward<Args>(args)...);
    const std::chrono::duration<double, std::milli> ms = result.elapsed;
    *log_ << fmt::format("{} elapsed time: {:.2f} ms\n", name_, ms.count());
    if constexpr (!std::is_void_v<std::invoke_result_t<F&, Args...>>) {
      // Teacher's note: forward, not move — for a callable that returns a reference, the
      // caller gets that reference back.
      return std::forward<std::invoke_result_t<F&, Args...>>(result.value);
    }
  }

 private:
  std::string name_;
  F f_;
  std::ostream* log_;
};

// Makes a NamedTimer that writes to `log` (std::clog unless told otherwise).
template <class F>
NamedTimer<std::decay_t<F>> named_timer(std::string name, F&& f, std::ostream& log = std::clog) {
  return NamedTimer<std::decay_t<F>>(std::move(name), std::forward<F>(f), log);
}

}  // namespace synchronous
