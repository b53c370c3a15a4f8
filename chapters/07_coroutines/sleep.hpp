// Exercise 7.2: sleep(d), the awaitable that parks a task on the loop's timers.
#pragma once

#include <course/not_implemented.hpp>

#include "event_loop.hpp"

namespace coro {

// co_await coro::sleep(100ms): the task is parked on the running loop's timers for `duration`;
// the loop runs other tasks meanwhile. Cancelled while asleep, its timer leaves the loop at
// once and the task is told (Cancelled).
class [[nodiscard]] SleepAwaiter final : public Interruptible {
 public:
  explicit SleepAwaiter(Clock::duration duration) : duration_(duration) {}

  bool await_ready() const noexcept { return false; }
  void await_suspend([[maybe_unused]] std::coroutine_handle<> sleeping) {
    // TODO(7.2): a timer on the running loop, `duration` from now, that resumes `sleeping` as
    // part of the running task (keep the loop, the task and the timer, for interrupt()).
    // TODO(7.4): a task cancelled already is scheduled at once, without a timer; otherwise this
    // sleep is where its task waits (task->suspended_in).
    throw course::NotImplemented("7.2", "SleepAwaiter::await_suspend");
  }
  void interrupt() override {
    // TODO(7.4): take the timer back; if it was still set, resume the task now, to be told.
    course::report_not_implemented("7.4", "SleepAwaiter::interrupt");
  }
  void await_resume() {
    if (task_ == nullptr) return;
    task_->suspended_in = nullptr;
    task_->tell_if_cancelled();
  }

 private:
  // (maybe_unused: until 7.2 is done, nothing reads them.)
  [[maybe_unused]] Clock::duration duration_;
  [[maybe_unused]] EventLoop* loop_ = nullptr;
  TaskState* task_ = nullptr;
  EventLoop::TimerId timer_{};
  std::coroutine_handle<> sleeping_;
};

inline SleepAwaiter sleep(Clock::duration duration) {
  return SleepAwaiter(duration);
}

}  // namespace coro
