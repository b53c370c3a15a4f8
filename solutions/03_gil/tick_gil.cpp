#include "tick_gil.hpp"

namespace gil {

void TickGil::take() {
  std::unique_lock lock(mutex_);
  const unsigned long ticket = next_ticket_++;
  served_.wait(lock, [&] { return serving_ == ticket; });
  const auto me = std::this_thread::get_id();
  if (last_holder_ != me) {
    if (last_holder_ != std::thread::id()) switches_.fetch_add(1, std::memory_order_relaxed);
    last_holder_ = me;
  }
}

void TickGil::drop() {
  {
    const std::lock_guard lock(mutex_);
    ++serving_;
  }
  // Every waiter wakes and checks its number; only the one served goes on. Teacher's note:
  // notify_one could wake a thread whose number is not served, and the right one would sleep
  // on — a lost turn, and a hang.
  served_.notify_all();
}

bool TickGil::should_yield() {
  // Python 2 let go every 100 "ticks" whether or not anybody waited: a thread alone drops and
  // retakes the GIL for nothing. (NewGil only lets go when asked.)
  if (++ticks_ < interval_) return false;
  ticks_ = 0;
  return true;
}

long TickGil::switches() const {
  return switches_.load(std::memory_order_relaxed);
}

}  // namespace gil
