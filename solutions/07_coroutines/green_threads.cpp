#include "green_threads.hpp"

#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace green {
namespace {

thread_local Scheduler* running_scheduler = nullptr;

}  // namespace

Scheduler* Scheduler::current() noexcept {
  return running_scheduler;
}

void Scheduler::spawn(std::function<void()> body) {
  auto thread = std::make_unique<GreenThread>();
  thread->body = std::move(body);
  // Not zeroed: pages the thread never touches are never written.
  thread->stack = std::make_unique_for_overwrite<std::byte[]>(stack_bytes_);
  if (getcontext(&thread->context) != 0) throw std::runtime_error("getcontext failed");
  thread->context.uc_stack.ss_sp = thread->stack.get();
  thread->context.uc_stack.ss_size = stack_bytes_;
  thread->context.uc_link = nullptr;  // the trampoline never returns: it switches back
  const auto address = reinterpret_cast<std::uintptr_t>(thread.get());
  makecontext(&thread->context, reinterpret_cast<void (*)()>(&Scheduler::trampoline), 2,
              static_cast<unsigned>(address >> 32U), static_cast<unsigned>(address));
  ready_.push_back(thread.get());
  threads_.emplace(thread.get(), std::move(thread));
}

void Scheduler::trampoline(unsigned high, unsigned low) {
  const auto address = (static_cast<std::uintptr_t>(high) << 32U) | low;
  auto& thread = *reinterpret_cast<GreenThread*>(address);
  // An exception must not leave this function: below it there is no caller, only the end of
  // a stack. It is kept for run() to rethrow.
  try {
    thread.body();
  } catch (...) {
    thread.error = std::current_exception();
  }
  thread.ended = true;
  running_scheduler->switch_to_scheduler();  // never comes back: the scheduler buries it
}

void Scheduler::switch_to(GreenThread& thread) {
  running_ = &thread;
  swapcontext(&scheduler_context_, &thread.context);
  running_ = nullptr;
}

void Scheduler::switch_to_scheduler() {
  swapcontext(&running_->context, &scheduler_context_);
}

void Scheduler::park_until(course::LoopClock::time_point when) {
  sleeping_.emplace(std::pair(when, sleeps_so_far_++), running_);
  switch_to_scheduler();
}

void Scheduler::park_ready() {
  ready_.push_back(running_);
  switch_to_scheduler();
}

void Scheduler::bury(GreenThread& thread) {
  if (thread.error && !first_error_) first_error_ = thread.error;
  threads_.erase(&thread);
}

void Scheduler::run() {
  if (running_scheduler != nullptr) {
    throw std::logic_error("green::Scheduler::run: a scheduler already runs on this thread");
  }
  struct Running {
    explicit Running(Scheduler& scheduler) { running_scheduler = &scheduler; }
    Running(const Running&) = delete;
    Running& operator=(const Running&) = delete;
    ~Running() { running_scheduler = nullptr; }
  } const running(*this);

  std::mutex mutex;  // nobody else wakes this scheduler: the clock only needs something to wait on
  std::condition_variable never_notified;
  while (!threads_.empty()) {
    const auto now = clock_.now();
    while (!sleeping_.empty() && sleeping_.begin()->first.first <= now) {
      ready_.push_back(sleeping_.begin()->second);
      sleeping_.erase(sleeping_.begin());
    }
    if (ready_.empty()) {
      // Every thread alive is asleep (a thread is ready, asleep or running): wait for the first.
      std::unique_lock lock(mutex);
      clock_.wait_until(lock, never_notified, sleeping_.begin()->first.first);
      continue;
    }
    GreenThread& next = *ready_.front();
    ready_.pop_front();
    switch_to(next);
    if (next.ended) bury(next);  // back on the scheduler's stack: the thread's can go
  }
  if (first_error_) std::rethrow_exception(std::exchange(first_error_, nullptr));
}

void sleep_for(std::chrono::nanoseconds how_long) {
  if (Scheduler* const scheduler = Scheduler::current()) {
    scheduler->park_until(scheduler->clock().now() + how_long);
  } else {
    std::this_thread::sleep_for(how_long);
  }
}

void yield() {
  if (Scheduler* const scheduler = Scheduler::current()) scheduler->park_ready();
}

}  // namespace green
