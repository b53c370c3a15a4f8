// Exercise 7.1: Task<T>, a lazy coroutine whose result another coroutine co_awaits.
#pragma once

#include <coroutine>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <utility>

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

    Task get_return_object() noexcept {
      return Task(std::coroutine_handle<promise_type>::from_promise(*this));
    }
    // Lazy: the body starts when someone co_awaits the task (or a loop spawns it).
    std::suspend_always initial_suspend() noexcept { return {}; }

    struct ResumeTheAwaiter {
      bool await_ready() const noexcept { return false; }
      // Symmetric transfer: returning the handle makes the compiler jump to the awaiting
      // coroutine instead of calling it, so the stack does not grow with every co_await.
      std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type> ended) noexcept {
        return ended.promise().continuation;
      }
      void await_resume() const noexcept {}
    };
    ResumeTheAwaiter final_suspend() noexcept { return {}; }

    void unhandled_exception() noexcept { this->outcome.set_exception(std::current_exception()); }
  };

  Task() = default;
  Task(Task&& other) noexcept : coroutine_(std::exchange(other.coroutine_, {})) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      release();
      coroutine_ = std::exchange(other.coroutine_, {});
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() { release(); }

  struct Awaiter {
    std::coroutine_handle<promise_type> task;

    bool await_ready() const {
      if (!task) throw std::logic_error("co_await of an empty coro::Task (moved from?)");
      return task.done();
    }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting) noexcept {
      task.promise().continuation = awaiting;
      task.promise().started = true;
      return task;  // start the task in place of the awaiting coroutine
    }
    T await_resume() { return task.promise().outcome.take(); }
  };
  Awaiter operator co_await() const& noexcept { return Awaiter{coroutine_}; }
  Awaiter operator co_await() const&& noexcept { return Awaiter{coroutine_}; }

  // For the event loop, which starts tasks nobody awaits (spawn): the frame, still owned here.
  [[nodiscard]] std::coroutine_handle<promise_type> handle() const noexcept { return coroutine_; }

 private:
  explicit Task(std::coroutine_handle<promise_type> coroutine) noexcept : coroutine_(coroutine) {}

  void release() noexcept {
    if (!coroutine_) return;
    if (!coroutine_.promise().started) report_never_awaited();
    coroutine_.destroy();
    coroutine_ = {};
  }

  std::coroutine_handle<promise_type> coroutine_;
};

}  // namespace coro
