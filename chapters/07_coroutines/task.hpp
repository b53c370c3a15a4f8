// Exercise 7.1: Task<T>, a lazy coroutine whose result another coroutine co_awaits.
#pragma once

#include <coroutine>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <utility>

#include <course/not_implemented.hpp>

#include "outcome.hpp"

namespace coro {

// Given: what a Task that is destroyed before anything ever ran it says — Python's
// "RuntimeWarning: coroutine '...' was never awaited". A forgotten co_await is the most common
// mistake with coroutines, and without this it fails silently: the body simply never runs.
inline void report_never_awaited() {
  std::fputs(
      "warning: a coro::Task was destroyed without ever being awaited or spawned: its body never "
      "ran (a forgotten co_await?)\n",
      stderr);
}

template <class T>
class Task;

namespace detail {

// co_return: Task<T> takes a value, Task<T&> a reference, Task<void> nothing.
template <class T>
struct Returns {
  Outcome<T> outcome;
  void return_value(T value) { outcome.set_value(std::move(value)); }
};
template <class T>
struct Returns<T&> {
  Outcome<T&> outcome;
  void return_value(T& value) noexcept { outcome.set_value(value); }
};
template <>
struct Returns<void> {
  Outcome<void> outcome;
  void return_void() noexcept { outcome.set_value(); }
};

}  // namespace detail

// Exercise 7.1 — Task<T>: what `Task<int> f() { ... co_return 42; }` returns.
//  - Lazy: calling f() runs none of its body; `co_await f()` in another coroutine starts it.
//  - `co_await task` gives what the task co_returned, or rethrows the exception that left it.
//  - The awaiting coroutine is suspended while the task runs; when the task ends, the awaiting
//    coroutine is resumed by symmetric transfer (final_suspend's await_suspend returns its
//    handle), so a loop of a million co_awaits of tasks that end at once needs no more stack
//    than one.
//  - Move-only; it owns the frame and destroys it. A task destroyed before it ever ran says so
//    (report_never_awaited).
template <class T = void>
class [[nodiscard]] Task {
 public:
  struct promise_type : detail::Returns<T> {
    std::coroutine_handle<> continuation = std::noop_coroutine();  // who co_awaits this task
    bool started = false;

    Task get_return_object() {
      // TODO(7.1): a Task owning this coroutine (std::coroutine_handle::from_promise).
      throw course::NotImplemented("7.1", "Task::promise_type::get_return_object");
    }
    // TODO(7.1): lazy — the body starts when someone co_awaits the task (or a loop spawns it).
    // Change the return type: std::suspend_never runs the body at once, std::suspend_always
    // suspends before its first line.
    std::suspend_never initial_suspend() noexcept { return {}; }

    struct ResumeTheAwaiter {
      bool await_ready() const noexcept { return false; }
      // The task has ended: who resumes the coroutine that awaits it?
      std::coroutine_handle<> await_suspend(
          [[maybe_unused]] std::coroutine_handle<promise_type> ended) noexcept {
        // TODO(7.1): symmetric transfer — return the awaiting coroutine's handle, and the
        // compiler jumps to it instead of calling it (no resume() here: the stack would grow
        // with every co_await). std::noop_coroutine() goes back to whoever resumed the task.
        course::report_not_implemented("7.1", "Task: final_suspend's await_suspend");
        return std::noop_coroutine();
      }
      void await_resume() const noexcept {}
    };
    ResumeTheAwaiter final_suspend() noexcept { return {}; }

    void unhandled_exception() noexcept {
      // TODO(7.1): keep the exception in the outcome, for the co_await to rethrow.
      course::report_not_implemented("7.1", "Task::promise_type::unhandled_exception");
    }
  };

  Task() = default;
  // TODO(7.1): moving takes the frame; the moved-from Task has none. Assigning over a Task
  // first destroys the frame it had (as the destructor does, warning included).
  Task(Task&& /*other*/) noexcept { course::report_not_implemented("7.1", "Task(Task&&)"); }
  Task& operator=(Task&& /*other*/) noexcept {
    course::report_not_implemented("7.1", "Task::operator=(Task&&)");
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() { release(); }

  struct Awaiter {
    std::coroutine_handle<promise_type> task;

    bool await_ready() const {
      // TODO(7.1): a std::logic_error for a Task without a frame; ready if it has ended.
      throw course::NotImplemented("7.1", "Task: the awaiter's await_ready");
    }
    std::coroutine_handle<> await_suspend([[maybe_unused]] std::coroutine_handle<> awaiting) {
      // TODO(7.1): remember who awaits, mark the task started, and start it — by returning
      // its handle (symmetric transfer), not by calling resume().
      throw course::NotImplemented("7.1", "Task: the awaiter's await_suspend");
    }
    T await_resume() {
      // TODO(7.1): the task's value, or its exception rethrown.
      throw course::NotImplemented("7.1", "Task: the awaiter's await_resume");
    }
  };
  Awaiter operator co_await() const& noexcept { return Awaiter{coroutine_}; }
  Awaiter operator co_await() const&& noexcept { return Awaiter{coroutine_}; }

  // For the event loop, which starts tasks nobody awaits (spawn): the frame, still owned here.
  [[nodiscard]] std::coroutine_handle<promise_type> handle() const noexcept { return coroutine_; }

 private:
  explicit Task(std::coroutine_handle<promise_type> coroutine) noexcept : coroutine_(coroutine) {}

  void release() noexcept {
    // TODO(7.1): destroy the frame, if any — after report_never_awaited() if it never started.
    course::report_not_implemented("7.1", "Task: destroying the frame");
  }

  std::coroutine_handle<promise_type> coroutine_;
};

}  // namespace coro
