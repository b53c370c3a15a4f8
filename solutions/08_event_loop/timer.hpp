// Exercise 8.1: a libuv timer with a C++ callback.
#pragma once

#include <chrono>
#include <functional>

#include <uv.h>

#include "handle.hpp"
#include "loop.hpp"

namespace uvx {

// Exercise 8.1 — a uv_timer_t that calls a std::function. libuv's callback is a plain function
// with the handle as its only argument: the handle's `data` pointer leads back to this object.
// Destroying the Timer stops it for good (its handle is closed: no tick comes after).
class Timer {
 public:
  explicit Timer(Loop& loop);
  Timer(const Timer&) = delete;  // the handle's data points here
  Timer& operator=(const Timer&) = delete;
  ~Timer() = default;

  // Calls `on_tick` after `timeout`, then every `repeat` if it is not zero, until stop().
  // Starting a started timer starts it afresh.
  void start(std::chrono::milliseconds timeout, std::chrono::milliseconds repeat,
             std::function<void()> on_tick);
  void stop();

 private:
  static void on_timer(uv_timer_t* timer);

  Handle<uv_timer_t> handle_;
  std::function<void()> on_tick_;
};

}  // namespace uvx
