#include "scheduler.hpp"

#include <cstdio>
#include <exception>
#include <utility>

#include <course/exception_message.hpp>

namespace callbacks {

namespace {

// asyncio's default: say what went wrong, and go on.
void print_exception(const std::exception_ptr& error) {
  std::fprintf(stderr, "exception in a callback: %s\n", course::exception_message(error).c_str());
}

}  // namespace

bool Handle::cancel() {
  if (!pending()) return false;
  scheduled_->status = ScheduledCallback::Status::cancelled;
  // Free what the callback holds (its captures) now, not when its deadline comes.
  scheduled_->callback = nullptr;
  return true;
}

bool Handle::pending() const {
  return scheduled_ && scheduled_->status == ScheduledCallback::Status::pending;
}

Scheduler::Scheduler(Clock& clock) : clock_(clock), exception_handler_(print_exception) {}

TimePoint Scheduler::now() const {
  return clock_.now();
}

Handle Scheduler::call_soon(Callback callback) {
  return call_at(now(), std::move(callback));
}

Handle Scheduler::call_later(Duration delay, Callback callback) {
  // From now, the moment of the call — not from when the loop started or last woke.
  return call_at(now() + delay, std::move(callback));
}

Handle Scheduler::call_at(TimePoint when, Callback callback) {
  auto scheduled = std::make_shared<ScheduledCallback>(ScheduledCallback{std::move(callback)});
  queue_.push(Entry{when, scheduled_so_far_++, scheduled});
  return Handle(std::move(scheduled));
}

void Scheduler::set_exception_handler(ExceptionHandler handler) {
  exception_handler_ = std::move(handler);
}

void Scheduler::call_soon_threadsafe(Callback callback) {
  {
    const std::lock_guard lock(posted_mutex_);
    posted_callbacks_.push_back(std::move(callback));
  }
  // Notified after the push is visible under the lock: a loop that checked and found nothing
  // is already waiting (it held the lock from its check into the wait), so it gets this.
  posted_.notify_one();
}

void Scheduler::take_posted_callbacks() {
  std::vector<Callback> posted;
  {
    const std::lock_guard lock(posted_mutex_);
    posted.swap(posted_callbacks_);
  }
  for (Callback& callback : posted) call_soon(std::move(callback));
}

void Scheduler::drop_cancelled_callbacks() {
  // A cancelled callback must neither run nor keep the loop waiting for its deadline.
  while (!queue_.empty() && queue_.top().scheduled->status != ScheduledCallback::Status::pending) {
    queue_.pop();
  }
}

void Scheduler::run_one(ScheduledCallback& scheduled) {
  // Marked before the call: a callback that cancels its own handle is already running.
  scheduled.status = ScheduledCallback::Status::ran;
  const Callback callback = std::move(scheduled.callback);
  try {
    callback();
  } catch (...) {
    exception_handler_(std::current_exception());
  }
}

void Scheduler::run() {
  for (;;) {
    take_posted_callbacks();
    drop_cancelled_callbacks();
    if (queue_.empty()) return;

    const TimePoint next = queue_.top().when;
    if (next > clock_.now()) {
      // Nothing is due: sleep until the next deadline, unless another thread has posted (checked
      // under the lock the wait releases, so no post is missed). Then look again: the clock's
      // wait may return early, and a post may have arrived.
      std::unique_lock lock(posted_mutex_);
      if (posted_callbacks_.empty()) clock_.wait_until(lock, posted_, next);
      continue;
    }

    // Copy the entry out before popping: the callback may schedule more, which reorders queue_.
    const Entry due = queue_.top();
    queue_.pop();
    run_one(*due.scheduled);
  }
}

}  // namespace callbacks
