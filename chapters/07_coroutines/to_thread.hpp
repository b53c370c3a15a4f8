// Exercise 7.6: blocking work off the loop's thread.
#pragma once

#include <coroutine>
#include <exception>
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include <course/not_implemented.hpp>

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
  void await_suspend([[maybe_unused]] std::coroutine_handle<> awaiting) {
    // TODO(7.6): tell the running loop a post will come; on a worker (default_workers()), run
    // f_ and keep its result or exception, then post the awaiting task's Resumption back to the
    // loop (the last touch of *this on the worker).
    throw course::NotImplemented("7.6", "to_thread: starting the work");
  }
  Result await_resume() {
    // TODO(7.6): the result, or the exception rethrown.
    throw course::NotImplemented("7.6", "to_thread: the result");
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
