// Given: a simple GIL for the toy interpreter — chapter 3's subject, here only a tool. A mutex;
// the holder lets go every 100 check points. (Not fair: on several cores the thread that lets
// go usually takes it straight back. Enough to keep the interpreter's objects safe, and to show
// that threads under a GIL do not compute in parallel.)
#pragma once

#include <atomic>
#include <mutex>
#include <thread>

#include <toy/gil.hpp>

namespace processes {

class SimpleGil final : public toy::Gil {
 public:
  void take() override {
    mutex_.lock();
    const auto me = std::this_thread::get_id();
    if (holder_ != me) {
      holder_ = me;
      switches_.fetch_add(1, std::memory_order_relaxed);
    }
  }
  void drop() override { mutex_.unlock(); }
  bool should_yield() override { return ++ticks_ % 100 == 0; }
  [[nodiscard]] long switches() const override { return switches_.load(std::memory_order_relaxed); }

 private:
  std::mutex mutex_;
  std::thread::id holder_;  // changed under mutex_
  long ticks_ = 0;          // changed only by the holder
  std::atomic<long> switches_{0};
};

}  // namespace processes
