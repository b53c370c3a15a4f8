// Exercise 7.6: blocking work off the loop's thread.
#pragma once

#include <coroutine>
#include <exception>
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include "event_loop.hpp"
#include "task.hpp"
#include "worker_threads.hpp"

namespace coro {

namespace detail {

// Runs f on a worker thread; the awaiting task is resumed on the loop's thread with the result.
template <class F>
class OnAWorker {
 public:
  using Result = std::invoke_result_t<F&>;
  explicit OnAWorker(F f) : f_(std::move(f)) {}

  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> awaiting) {
    EventLoop& loop = EventLoop::current();
    const Resumption back{awaiting, loop.running_task()};
    loop.expect_threadsafe_post();
    default_workers().run([this, &loop, back] {
      try {
        if constexpr (std::is_void_v<Result>) {
          std::invoke(f_);
          result_.emplace();
        } else {
          result_.emplace(std::invoke(f_));
        }
      } catch (...) {
        error_ = std::current_exception();
      }
      loop.post_threadsafe(back);  // the last touch of *this on the worker
    });
  }
  Result await_resume() {
    if (error_) std::rethrow_exception(error_);
    if constexpr (!std::is_void_v<Result>) return std::move(*result_);
  }

 private:
  using Stored = std::conditional_t<std::is_void_v<Result>, std::monostate, Result>;
  F f_;
  std::optional<Stored> result_;
  std::exception_ptr error_;
};

}  // namespace detail

// Exercise 7.6 — asyncio.to_thread(f): `co_await to_thread(f)` runs f() on a worker thread and
// gives its value (or rethrows its exception) on the loop's thread, which goes on running the
// other tasks meanwhile. For blocking calls and CPU-bound work that would otherwise stall the
// whole loop. A cancelled task is told once f() has returned: a thread cannot be interrupted.
template <class F>
Task<std::invoke_result_t<F&>> to_thread(F f) {
  co_return co_await detail::OnAWorker<F>(std::move(f));
}

}  // namespace coro
