// Given: Task<T>, the coroutine type of exercises 8.5 and 8.6 — complete, so that this chapter
// does not need chapter 7 solved. (Chapter 7 builds its own, with more: a never-awaited warning,
// an Outcome type, a loop of its own. This one is as small as a useful task can be.)
#pragma once

#include <coroutine>
#include <cstddef>
#include <cstring>
#include <exception>
#include <new>
#include <stdexcept>
#include <utility>
#include <variant>

namespace uvx {

template <class T = void>
class Task;

namespace task_detail {

// A frame's memory is overwritten when it is freed. Resuming a destroyed frame — a libuv
// callback that outlived the awaiter it was meant for — then jumps through bytes that are no
// code, and the program crashes at once (under AddressSanitizer: a heap-use-after-free report
// naming the callback), instead of running on in freed memory and failing somewhere else, later.
struct PoisonedWhenFreed {
  static void* operator new(std::size_t size) { return ::operator new(size); }
  static void operator delete(void* frame, std::size_t size) noexcept {
    std::memset(frame, 0xdd, size);
    ::operator delete(frame);
  }
};

// What a task's body ended with: nothing yet, a value, or an exception.
template <class T>
struct Result {
  std::variant<std::monostate, T, std::exception_ptr> outcome;

  void return_value(T value) { outcome.template emplace<1>(std::move(value)); }
  T take() {
    if (outcome.index() == 2) std::rethrow_exception(std::get<2>(outcome));
    if (outcome.index() == 0) throw std::logic_error("Task: the result of a task not done");
    return std::move(std::get<1>(outcome));
  }
};

template <>
struct Result<void> {
  std::variant<std::monostate, std::monostate, std::exception_ptr> outcome;

  void return_void() noexcept { outcome.emplace<1>(); }
  void take() {
    if (outcome.index() == 2) std::rethrow_exception(std::get<2>(outcome));
    if (outcome.index() == 0) throw std::logic_error("Task: the result of a task not done");
  }
};

template <class T>
struct Promise : PoisonedWhenFreed, Result<T> {
  std::coroutine_handle<> continuation = std::noop_coroutine();  // resumed when the body ends
  bool started = false;

  Task<T> get_return_object() noexcept {
    return Task<T>(std::coroutine_handle<Promise>::from_promise(*this));
  }
  // Lazy: calling the coroutine runs none of its body.
  std::suspend_always initial_suspend() noexcept { return {}; }
  // At the end, straight to whoever awaits the task (symmetric transfer: no stack grows with a
  // chain of tasks that end at once), or back to whoever started it.
  struct ResumeTheContinuation {
    bool await_ready() noexcept { return false; }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> done) noexcept {
      return done.promise().continuation;
    }
    void await_resume() noexcept {}
  };
  ResumeTheContinuation final_suspend() noexcept { return {}; }
  void unhandled_exception() noexcept {
    this->outcome.template emplace<2>(std::current_exception());
  }
};

}  // namespace task_detail

// A coroutine that gives a T (or throws). Lazy: its body starts when it is co_awaited, or when
// start() is called. A Task owns its frame: destroying a task that has not finished destroys the
// frame where it is suspended — its locals, and the awaiter it waits on, are destroyed: that is
// how a task is cancelled. (So every awaiter must let go of libuv in its destructor.)
template <class T>
class [[nodiscard]] Task {
 public:
  using promise_type = task_detail::Promise<T>;

  Task() = default;
  explicit Task(std::coroutine_handle<promise_type> frame) noexcept : frame_(frame) {}
  Task(Task&& other) noexcept : frame_(std::exchange(other.frame_, {})) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      if (frame_) frame_.destroy();
      frame_ = std::exchange(other.frame_, {});
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() {
    if (frame_) frame_.destroy();
  }

  [[nodiscard]] bool valid() const noexcept { return static_cast<bool>(frame_); }
  [[nodiscard]] bool started() const noexcept { return frame_ && frame_.promise().started; }
  [[nodiscard]] bool done() const noexcept { return frame_ && frame_.done(); }

  // Runs the body until it first waits (or ends), with nobody to resume when it ends: how run,
  // gather and a TaskGroup set tasks going. A started task may still be co_awaited, once.
  void start() {
    if (!frame_ || frame_.promise().started) throw std::logic_error("Task: started twice");
    frame_.promise().started = true;
    frame_.resume();
  }

  // Once done(): what the body gave, or the exception that left it.
  T result() {
    if (!done()) throw std::logic_error("Task: the result of a task not done");
    return frame_.promise().take();
  }

  // `co_await task`: starts it if it is not started, waits until it is done, gives its result.
  struct Awaiter {
    std::coroutine_handle<promise_type> frame;

    bool await_ready() const noexcept { return frame.done(); }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting) noexcept {
      frame.promise().continuation = awaiting;
      if (frame.promise().started) return std::noop_coroutine();  // it resumes us when done
      frame.promise().started = true;
      return frame;
    }
    T await_resume() { return frame.promise().take(); }
  };
  Awaiter operator co_await() const noexcept { return Awaiter{frame_}; }

 private:
  std::coroutine_handle<promise_type> frame_;
};

}  // namespace uvx
