#include "counters.hpp"

namespace threads {

void MutexCounter::add(long amount) {
  // value_ += amount is a read, an addition and a write: two threads doing it at once may
  // both read the old value, and one addition is lost. The lock makes it one step.
  const std::lock_guard lock(mutex_);
  value_ += amount;
}

long MutexCounter::value() const {
  const std::lock_guard lock(mutex_);
  return value_;
}

void AtomicCounter::add(long amount) {
  // One indivisible read-modify-write. Teacher's note: `value_ = value_ + amount` compiles too,
  // but is an atomic load and a separate atomic store: it loses additions just like a plain
  // long (see demos/lost_updates.cpp). Relaxed order is enough: nothing else is published
  // through this counter.
  value_.fetch_add(amount, std::memory_order_relaxed);
}

long AtomicCounter::value() const {
  return value_.load(std::memory_order_relaxed);
}

}  // namespace threads
