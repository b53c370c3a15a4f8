// Exercise 8.5: sleep as an awaitable — a timer that resumes a coroutine.
#pragma once

#include <chrono>
#include <coroutine>

#include <uv.h>

#include "handle.hpp"
#include "loop.hpp"

namespace uvx {

// Exercise 8.5 — `co_await uvx::sleep(loop, 10ms)`: the coroutine is suspended, a timer is
// started, and the timer's callback resumes the coroutine; meanwhile the loop runs everything
// else. The awaiter lives in the waiting coroutine's frame, so a task cancelled (destroyed)
// while it sleeps destroys the awaiter: its timer must go with it, and never call back.
class Sleep {
 public:
  Sleep(Loop& loop, std::chrono::milliseconds duration);
  Sleep(const Sleep&) = delete;  // the timer's data points here
  Sleep& operator=(const Sleep&) = delete;
  ~Sleep() = default;

  bool await_ready() const noexcept { return false; }  // even sleep(0ms) lets the loop turn
  void await_suspend(std::coroutine_handle<> waiting);
  void await_resume() const noexcept {}

 private:
  static void on_timer(uv_timer_t* timer);

  Handle<uv_timer_t> timer_;
  [[maybe_unused]] std::chrono::milliseconds duration_;
  [[maybe_unused]] std::coroutine_handle<> waiting_;
};

inline Sleep sleep(Loop& loop, std::chrono::milliseconds duration) {
  return Sleep(loop, duration);
}

}  // namespace uvx
