// Exercise 7.2: sleep(d), the awaitable that parks a task on the loop's timers.
#pragma once

#include "event_loop.hpp"

namespace coro {

// co_await coro::sleep(100ms): the task is parked on the running loop's timers for `duration`;
// the loop runs other tasks meanwhile. Cancelled while asleep, its timer leaves the loop at
// once and the task is told (Cancelled).
class [[nodiscard]] SleepAwaiter final : public Interruptible {
 public:
  explicit SleepAwaiter(Clock::duration duration) : duration_(duration) {}

  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> sleeping) {
    loop_ = &EventLoop::current();
    sleeping_ = sleeping;
    task_ = loop_->running_task();
    const Resumption wake{sleeping, task_};
    if (task_ != nullptr && task_->cancel_pending) {
      loop_->schedule(wake);  // cancelled already: no timer, told at once
      return;
    }
    timer_ = loop_->schedule_at(loop_->now() + duration_, wake);
    if (task_ != nullptr) task_->suspended_in = this;
  }
  void interrupt() override {
    if (loop_->cancel_timer(timer_)) loop_->schedule(Resumption{sleeping_, task_});
  }
  void await_resume() {
    if (task_ == nullptr) return;
    task_->suspended_in = nullptr;
    task_->tell_if_cancelled();
  }

 private:
  Clock::duration duration_;
  EventLoop* loop_ = nullptr;
  TaskState* task_ = nullptr;
  EventLoop::TimerId timer_{};
  std::coroutine_handle<> sleeping_;
};

inline SleepAwaiter sleep(Clock::duration duration) {
  return SleepAwaiter(duration);
}

}  // namespace coro
