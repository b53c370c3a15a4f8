// Exercise 3.2: Python 2's GIL — let go every so many ticks, and take turns fairly.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <toy/gil.hpp>

namespace gil {

// Exercise 3.2 — TickGil: the holder lets go of the GIL every `interval` check points ("ticks":
// should_yield() returns true on every interval-th call, false on the others). And the GIL is
// fair: threads get it in the order they asked for it, like the numbered tickets at a deli
// counter — take() draws the next ticket and waits until that number is served; drop() serves
// the next number. A thread that lets go and asks again at once gets a ticket behind the
// threads already waiting, so they really get their turn.
// switches() counts the times a thread took the GIL after another had held it last.
class TickGil final : public toy::Gil {
 public:
  explicit TickGil(long interval = 100) : interval_(interval) {}

  void take() override;
  void drop() override;
  bool should_yield() override;
  [[nodiscard]] long switches() const override;

  // Python 2's sys.getcheckinterval().
  [[nodiscard]] long interval() const { return interval_; }

 private:
  const long interval_;
  std::mutex mutex_;
  std::condition_variable served_;  // waiters wait here for their number
  unsigned long next_ticket_ = 0;   // guarded by mutex_
  unsigned long serving_ = 0;       // guarded by mutex_: the ticket that may hold the GIL
  long ticks_ = 0;                  // only the holder touches it
  std::thread::id last_holder_;     // guarded by mutex_
  std::atomic<long> switches_{0};
};

}  // namespace gil
