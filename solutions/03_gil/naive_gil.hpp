// Exercise 3.1: the simplest GIL.
#pragma once

#include <atomic>
#include <mutex>
#include <thread>

#include <toy/gil.hpp>

namespace gil {

// Exercise 3.1 — NaiveGil: one std::mutex. take() locks it, drop() unlocks it, and the holder
// is never asked to let go (should_yield() is always false): a thread keeps the GIL until its
// program ends, and the others wait until then. switches() counts the times a thread took the
// GIL after another thread had held it last.
class NaiveGil final : public toy::Gil {
 public:
  void take() override;
  void drop() override;
  bool should_yield() override;
  [[nodiscard]] long switches() const override;

 private:
  std::mutex mutex_;
  std::thread::id last_holder_;    // changed only by the thread holding mutex_
  std::atomic<long> switches_{0};  // read by anyone, any time
};

}  // namespace gil
