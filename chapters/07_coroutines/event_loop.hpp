// Exercise 7.2: an event loop for tasks — a ready queue, a timer heap, sleep, spawn and run.
#pragma once

#include <condition_variable>
#include <coroutine>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <utility>
#include <vector>

#include <course/loop_clock.hpp>
#include <course/not_implemented.hpp>

#include "outcome.hpp"
#include "task.hpp"

namespace coro {

using Clock = course::LoopClock;

template <class T>
class JoinHandle;

// Exercise 7.2 — EventLoop: runs tasks on the thread that calls run(), one at a time, each up
// to its next suspension; while no task is ready, the thread waits, through the loop's clock,
// for the first timer.
class EventLoop {
 public:
  explicit EventLoop(Clock& clock = course::steady_loop_clock()) : clock_(clock) {}
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;
  ~EventLoop();

  // asyncio.run(main()): runs the loop until `main` has ended; gives its value or rethrows its
  // exception. Tasks it spawned that have not ended stay suspended (until the loop is
  // destroyed). Calling run() while this thread's loop runs is a std::logic_error (asyncio's
  // "This event loop is already running"); a main task that waits for something that nothing
  // scheduled can ever bring is a std::runtime_error, not a hang.
  template <class T>
  T run(Task<T> main);

  // asyncio.create_task(): schedules `task` to start on the loop; co_await the handle for its
  // result.
  template <class T>
  JoinHandle<T> spawn(Task<T> task);

  // The loop running on this thread; a std::logic_error outside run() (asyncio's "no running
  // event loop").
  static EventLoop& current();

  [[nodiscard]] Clock::time_point now() const { return clock_.now(); }
  [[nodiscard]] Clock& clock() const { return clock_; }

  // For awaitables: resume `coroutine` soon (in the order asked), or at `when`.
  void schedule(std::coroutine_handle<> coroutine);
  void schedule_at(Clock::time_point when, std::coroutine_handle<> coroutine);

 private:
  template <class T>
  friend class JoinHandle;
  struct Detached;
  template <class T>
  struct SpawnState;
  template <class T>
  static Detached drive(Task<T> task, std::shared_ptr<SpawnState<T>> state);

  // Runs ready coroutines and timers until `finished()` is true.
  void run_until(const std::function<bool()>& finished);
  void adopt(std::coroutine_handle<> driver);  // the loop owns every spawned task's driver

  Clock& clock_;
  std::deque<std::coroutine_handle<>> ready_;
  // Timers by (time, order): equal times in the order they were asked for.
  std::map<std::pair<Clock::time_point, std::uint64_t>, std::coroutine_handle<>> timers_;
  std::uint64_t timers_so_far_ = 0;
  std::vector<std::coroutine_handle<>> drivers_;
  bool running_ = false;
  std::mutex mutex_;                      // the clock's wait wants them; nothing else
  std::condition_variable nobody_wakes_;  // notifies yet (exercise 7.6 will)
};

// What spawn() gives: co_await it for the task's value (or its exception), once.
template <class T>
class [[nodiscard]] JoinHandle {
 public:
  [[nodiscard]] bool done() const noexcept { return state_->outcome.ready(); }

  auto operator co_await() const noexcept {
    struct Awaiter {
      std::shared_ptr<SpawnState> state;
      bool await_ready() const noexcept { return state->outcome.ready(); }
      void await_suspend(std::coroutine_handle<> awaiting) {
        if (state->waiter) throw std::logic_error("a JoinHandle is awaited by one coroutine only");
        state->waiter = awaiting;
      }
      T await_resume() { return state->outcome.take(); }
    };
    return Awaiter{state_};
  }

  // The result, once done() (for run()).
  T take() { return state_->outcome.take(); }

 private:
  friend class EventLoop;
  using SpawnState = EventLoop::SpawnState<T>;
  explicit JoinHandle(std::shared_ptr<SpawnState> state) : state_(std::move(state)) {}
  std::shared_ptr<SpawnState> state_;
};

// co_await coro::sleep(100ms): the task is parked on the running loop's timers for `duration`;
// the loop runs other tasks meanwhile.
struct SleepAwaiter {
  Clock::duration duration;
  bool await_ready() const noexcept { return duration <= Clock::duration::zero(); }
  void await_suspend([[maybe_unused]] std::coroutine_handle<> sleeping) const {
    // TODO(7.2): a timer on the running loop, `duration` from now, that resumes `sleeping`.
    throw course::NotImplemented("7.2", "SleepAwaiter::await_suspend");
  }
  void await_resume() const noexcept {}
};
[[nodiscard]] inline SleepAwaiter sleep(Clock::duration duration) {
  return SleepAwaiter{duration};
}

// asyncio.create_task(coro): spawns on the running loop.
template <class T>
JoinHandle<T> spawn(Task<T> task) {
  return EventLoop::current().spawn(std::move(task));
}

// ---- the templates' definitions -------------------------------------------------------------

// A coroutine that nobody awaits: it starts when the loop resumes it, and stays suspended at
// its end until the loop destroys it.
struct EventLoop::Detached {
  struct promise_type {
    Detached get_return_object() noexcept {
      return Detached{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { std::terminate(); }  // drive() catches everything
  };
  std::coroutine_handle<promise_type> coroutine;
};

template <class T>
struct EventLoop::SpawnState {
  Outcome<T> outcome;
  std::coroutine_handle<> waiter;  // who co_awaits the JoinHandle, if anyone yet
};

template <class T>
EventLoop::Detached EventLoop::drive(Task<T> task, std::shared_ptr<SpawnState<T>> state) {
  try {
    if constexpr (std::is_void_v<T>) {
      co_await std::move(task);
      state->outcome.set_value();
    } else {
      state->outcome.set_value(co_await std::move(task));
    }
  } catch (...) {
    state->outcome.set_exception(std::current_exception());
  }
  if (state->waiter) current().schedule(std::exchange(state->waiter, {}));
}

template <class T>
JoinHandle<T> EventLoop::spawn([[maybe_unused]] Task<T> task) {
  // TODO(7.2): a SpawnState, a driver (drive) that the loop owns (adopt) and schedules — not
  // started here: spawn() only schedules — and the JoinHandle on the state.
  throw course::NotImplemented("7.2", "EventLoop::spawn");
}

template <class T>
T EventLoop::run([[maybe_unused]] Task<T> main) {
  // TODO(7.2): refuse if the loop is running already (std::logic_error); spawn main, run until
  // it is done, give its result.
  throw course::NotImplemented("7.2", "EventLoop::run");
}

}  // namespace coro
