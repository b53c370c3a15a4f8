#include "new_gil.hpp"

namespace gil {

void NewGil::take() {
  std::unique_lock lock(mutex_);
  while (locked_) {
    const long switches_seen = switches_.load(std::memory_order_relaxed);
    const bool released = released_.wait_for(lock, interval_, [this] { return !locked_; });
    // A whole interval, and the same holder: ask it to let go at its next check point. (A
    // switch meanwhile means somebody else got a turn: wait a fresh interval before asking.)
    if (!released && switches_.load(std::memory_order_relaxed) == switches_seen) {
      drop_request_.store(true, std::memory_order_relaxed);
    }
  }
  locked_ = true;
  const auto me = std::this_thread::get_id();
  if (last_holder_ != me) {
    if (last_holder_ != std::thread::id()) switches_.fetch_add(1, std::memory_order_relaxed);
    last_holder_ = me;
  }
  drop_request_.store(false, std::memory_order_relaxed);  // whoever asked has been served
  switched_.notify_all();  // a thread that dropped on request may now go on
}

void NewGil::drop() {
  std::unique_lock lock(mutex_);
  const bool requested = drop_request_.load(std::memory_order_relaxed);
  locked_ = false;
  released_.notify_one();
  if (requested) {
    // Forced switching: without it, this thread — still running on its core — would usually
    // take the GIL back before the woken waiter is even scheduled. Somebody will take it: only
    // a waiting thread sets the request, and take() clears it, so the asker still waits.
    // (CPython's drop_gil waits the same way, for last_holder to change.)
    const auto me = std::this_thread::get_id();
    switched_.wait(lock, [this, me] { return last_holder_ != me; });
  }
}

bool NewGil::should_yield() {
  return drop_request_.load(std::memory_order_relaxed);
}

long NewGil::switches() const {
  return switches_.load(std::memory_order_relaxed);
}

}  // namespace gil
