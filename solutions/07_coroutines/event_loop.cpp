#include "event_loop.hpp"

#include <stdexcept>

namespace coro {
namespace {

thread_local EventLoop* running_loop = nullptr;

}  // namespace

EventLoop::~EventLoop() {
  // Work on other threads writes into the frames that wait for it: let it answer first.
  {
    std::unique_lock lock(mutex_);
    posted_one_.wait(lock, [&] { return posted_.size() == posts_expected_; });
  }
  // Tasks that never ended are destroyed with their drivers: their locals' destructors run.
  for (void* const driver : drivers_) std::coroutine_handle<>::from_address(driver).destroy();
}

EventLoop& EventLoop::current() {
  if (running_loop == nullptr) {
    throw std::logic_error(
        "no running event loop: sleep() and spawn() work inside a task that "
        "EventLoop::run runs");
  }
  return *running_loop;
}

void EventLoop::schedule(Resumption resumption) {
  ready_.push_back(resumption);
}

EventLoop::TimerId EventLoop::schedule_at(Clock::time_point when, Resumption resumption) {
  const TimerId timer{when, timers_so_far_++};
  timers_.emplace(timer, resumption);
  return timer;
}

bool EventLoop::cancel_timer(TimerId timer) {
  return timers_.erase(timer) == 1;
}

void EventLoop::expect_threadsafe_post() {
  const std::lock_guard lock(mutex_);
  ++posts_expected_;
}

void EventLoop::post_threadsafe(Resumption resumption) {
  const std::lock_guard lock(mutex_);
  posted_.push_back(resumption);
  // Notified under the lock: once it is released, the loop may take this post, finish, and be
  // destroyed — its condition variable with it — before a notify_one after the unlock ran.
  // (ThreadSanitizer caught exactly that.) The loop's thread is the only one that waits.
  posted_one_.notify_one();
}

void EventLoop::adopt(std::coroutine_handle<> driver) {
  drivers_.insert(driver.address());
}

void EventLoop::forget(std::coroutine_handle<> driver) noexcept {
  drivers_.erase(driver.address());
}

void EventLoop::run_until(const std::function<bool()>& finished) {
  if (running_loop != nullptr) {
    throw std::logic_error("EventLoop::run: a loop is already running on this thread");
  }
  // Whatever way run_until is left, this thread has no running loop afterwards.
  struct Running {
    EventLoop& loop;
    explicit Running(EventLoop& l) : loop(l) {
      running_loop = &loop;
      loop.running_ = true;
    }
    Running(const Running&) = delete;
    Running& operator=(const Running&) = delete;
    ~Running() {
      running_loop = nullptr;
      loop.running_ = false;
      loop.running_task_ = nullptr;
    }
  } const running(*this);

  while (!finished()) {
    // Answers from other threads join the ready queue first.
    {
      const std::lock_guard lock(mutex_);
      for (const Resumption& posted : posted_) ready_.push_back(posted);
      posts_expected_ -= posted_.size();
      posted_.clear();
    }
    // Timers whose time has come join the ready queue, in their order.
    const auto now = clock_.now();
    while (!timers_.empty() && timers_.begin()->first.first <= now) {
      ready_.push_back(timers_.begin()->second);
      timers_.erase(timers_.begin());
    }
    if (!ready_.empty()) {
      const Resumption next = ready_.front();
      ready_.pop_front();
      running_task_ = next.task;
      next.coroutine.resume();  // up to the task's next suspension
      running_task_ = nullptr;
      continue;
    }
    // Nothing to do: wait, under the lock that posts take, so that none is missed between the
    // look at posted_ and the wait.
    std::unique_lock lock(mutex_);
    if (!posted_.empty()) continue;
    if (!timers_.empty()) {
      clock_.wait_until(lock, posted_one_, timers_.begin()->first.first);
    } else if (posts_expected_ > 0) {
      posted_one_.wait(lock, [&] { return !posted_.empty(); });
    } else {
      throw std::runtime_error(
          "EventLoop::run: the main task waits, but no task is ready, no timer is set and no "
          "other thread will answer: nothing can ever wake it (a JoinHandle of a task that "
          "waits for it?)");
    }
  }
}

}  // namespace coro
