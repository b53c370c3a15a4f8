// Exercise 7.2: an event loop for tasks — a ready queue, timers, spawn and run.
#pragma once

#include <condition_variable>
#include <coroutine>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <unordered_set>
#include <utility>
#include <vector>

#include <course/loop_clock.hpp>
#include <course/not_implemented.hpp>

#include "outcome.hpp"
#include "task.hpp"

namespace coro {

using Clock = course::LoopClock;

// What a task is told at the suspension where it was cancelled (asyncio.CancelledError). It
// unwinds the task — its destructors run — unless the task catches it.
class Cancelled : public std::exception {
 public:
  [[nodiscard]] const char* what() const noexcept override { return "the task was cancelled"; }
};

// A suspension point that can be interrupted: the awaitable a cancelled task waits in. Given
// its task's cancellation, it stops waiting (a timer leaves the heap, a child is cancelled...)
// and sees to it that the task is resumed, to be told.
class Interruptible {
 public:
  virtual void interrupt() = 0;

 protected:
  ~Interruptible() = default;
};

// What the loop knows of each spawned task, whatever its result type.
struct TaskState {
  bool ended = false;
  bool cancel_pending = false;            // cancel() was called; the task was not told yet
  Interruptible* suspended_in = nullptr;  // the awaitable it waits in, if it can be interrupted

  // Asks the task to stop: it is told (Cancelled) at the suspension it waits in now, or at its
  // next one. False if it has ended already.
  bool cancel() {
    // TODO(7.4): false if ended; otherwise mark the cancellation pending, and interrupt the
    // suspension the task waits in, if any (once: forget it).
    throw course::NotImplemented("7.4", "TaskState::cancel");
  }
  // For awaitables, when their task is resumed: throws Cancelled if it was cancelled.
  void tell_if_cancelled() {
    if (std::exchange(cancel_pending, false)) throw Cancelled();
  }
};

// A coroutine to resume, and the task it belongs to (for cancellation; null for none).
struct Resumption {
  std::coroutine_handle<> coroutine;
  TaskState* task = nullptr;
};

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

  // loop.run_until_complete(main()): runs the loop until `main` has ended; gives its value or
  // rethrows its exception. Tasks it spawned that have not ended stay suspended (until the loop
  // is destroyed; the loop can run again). Calling run() while any loop runs on this thread —
  // this one, or another inside one of its tasks — is a std::logic_error (asyncio's "This event
  // loop is already running"); a main task that waits for something that nothing scheduled can
  // ever bring is a std::runtime_error, not a hang.
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

  // The task whose coroutine the loop is running now (null outside one).
  [[nodiscard]] TaskState* running_task() const noexcept { return running_task_; }

  // For awaitables: resume soon (in the order asked), or at `when`. A timer can be cancelled
  // until it fires; cancel_timer says whether it was still set.
  using TimerId = std::pair<Clock::time_point, std::uint64_t>;
  void schedule(Resumption resumption);
  TimerId schedule_at(Clock::time_point when, Resumption resumption);
  bool cancel_timer(TimerId timer);
  [[nodiscard]] std::size_t timers_set() const noexcept { return timers_.size(); }

  // For work done on other threads (to_thread): the loop is told that an answer will come, so
  // that it waits for it instead of calling a main task that waits for it stuck; the answer
  // then comes through post_threadsafe, from any thread, and wakes the loop if it waits.
  void expect_threadsafe_post();
  void post_threadsafe(Resumption resumption);

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
  // The loop owns every spawned task's driver until it ends (then the driver destroys itself
  // and is forgotten: adopt and forget are O(1), for loops of many tasks).
  void adopt(std::coroutine_handle<> driver);
  void forget(std::coroutine_handle<> driver) noexcept;

  Clock& clock_;
  std::deque<Resumption> ready_;
  // Timers by (time, order): equal times in the order they were asked for.
  std::map<TimerId, Resumption> timers_;
  std::uint64_t timers_so_far_ = 0;
  std::unordered_set<void*> drivers_;  // their frames' addresses (libstdc++ 12 cannot hash a
                                       // coroutine_handle)
  TaskState* running_task_ = nullptr;
  bool running_ = false;
  std::mutex mutex_;  // guards what other threads post, and the count of posts expected
  std::condition_variable posted_one_;
  std::vector<Resumption> posted_;
  std::size_t posts_expected_ = 0;
};

// What spawn() gives: co_await it for the task's value (or its exception), once; cancel() it.
// A coroutine cancelled while it awaits a JoinHandle cancels that task too, and is told once
// the task has ended (as in asyncio).
template <class T>
class [[nodiscard]] JoinHandle {
 public:
  [[nodiscard]] bool done() const noexcept { return state_->ended; }
  bool cancel() { return state_->cancel(); }

  auto operator co_await() const noexcept {
    struct Awaiter final : Interruptible {
      std::shared_ptr<SpawnState> state;
      TaskState* awaiting_task = nullptr;

      explicit Awaiter(std::shared_ptr<SpawnState> s) : state(std::move(s)) {}
      bool await_ready() const noexcept { return state->ended; }
      void await_suspend(std::coroutine_handle<> awaiting) {
        if (state->waiter.coroutine) {
          throw std::logic_error("a JoinHandle is awaited by one coroutine only");
        }
        awaiting_task = EventLoop::current().running_task();
        state->waiter = Resumption{awaiting, awaiting_task};
        if (awaiting_task != nullptr) {
          if (awaiting_task->cancel_pending) state->cancel();  // cancelled before it got here
          awaiting_task->suspended_in = this;
        }
      }
      void interrupt() override { state->cancel(); }  // the awaiter is woken when it ends
      T await_resume() {
        if (awaiting_task != nullptr) {
          awaiting_task->suspended_in = nullptr;
          awaiting_task->tell_if_cancelled();
        }
        return state->outcome.take();
      }
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

// asyncio.create_task(coro): spawns on the running loop.
template <class T>
JoinHandle<T> spawn(Task<T> task) {
  return EventLoop::current().spawn(std::move(task));
}

// ---- the templates' definitions -------------------------------------------------------------

// A coroutine that nobody awaits: it starts when the loop resumes it and, at its end, leaves
// the loop's drivers and destroys its own frame (allowed once it is suspended: in the final
// awaiter's await_suspend). Those that never end, the loop destroys with itself.
struct EventLoop::Detached {
  struct promise_type {
    EventLoop* loop = nullptr;

    Detached get_return_object() noexcept {
      return Detached{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    struct Vanish {
      bool await_ready() const noexcept { return false; }
      void await_suspend(std::coroutine_handle<promise_type> self) const noexcept {
        self.promise().loop->forget(self);
        self.destroy();
      }
      void await_resume() const noexcept {}
    };
    Vanish final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { std::terminate(); }  // drive() catches everything
  };
  std::coroutine_handle<promise_type> coroutine;
};

template <class T>
struct EventLoop::SpawnState : TaskState {
  Outcome<T> outcome;
  Resumption waiter;  // who co_awaits the JoinHandle, if anyone yet
};

template <class T>
EventLoop::Detached EventLoop::drive(Task<T> task, std::shared_ptr<SpawnState<T>> state) {
  try {
    state->tell_if_cancelled();  // cancelled before it started: it never runs
    if constexpr (std::is_void_v<T>) {
      co_await std::move(task);
      state->outcome.set_value();
    } else {
      state->outcome.set_value(co_await std::move(task));
    }
  } catch (...) {
    state->outcome.set_exception(std::current_exception());
  }
  state->ended = true;
  state->suspended_in = nullptr;
  if (state->waiter.coroutine) current().schedule(std::exchange(state->waiter, {}));
}

template <class T>
JoinHandle<T> EventLoop::spawn([[maybe_unused]] Task<T> task) {
  // TODO(7.2): mark the task started (the loop takes charge of it: destroyed unfinished, it is
  // no forgotten co_await); a SpawnState, a driver (drive) that knows this loop and that the
  // loop owns (adopt) and schedules as a Resumption of the new task — not run here: spawn()
  // only schedules — and the JoinHandle on the state.
  throw course::NotImplemented("7.2", "EventLoop::spawn");
}

template <class T>
T EventLoop::run([[maybe_unused]] Task<T> main) {
  // TODO(7.2): refuse if the loop is running already (std::logic_error); spawn main, run until
  // it is done, give its result.
  throw course::NotImplemented("7.2", "EventLoop::run");
}

}  // namespace coro
