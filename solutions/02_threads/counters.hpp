// Exercise 2.3: a counter many threads add to at once, without losing an addition.
#pragma once

#include <atomic>
#include <mutex>

namespace threads {

// Exercise 2.3 — MutexCounter: add() and value() may be called from many threads at once, and
// no addition is ever lost. Guard a plain long with a std::mutex: only the thread holding the
// lock reads or writes it.
class MutexCounter {
 public:
  void add(long amount);
  [[nodiscard]] long value() const;

 private:
  mutable std::mutex mutex_;  // mutable: value() is const, and still has to lock
  long value_ = 0;            // guarded by mutex_
};

// Exercise 2.3 — AtomicCounter: the same, with a std::atomic<long>: each addition is one
// indivisible read-modify-write, so no lock is needed.
class AtomicCounter {
 public:
  void add(long amount);
  [[nodiscard]] long value() const;

 private:
  std::atomic<long> value_{0};
};

}  // namespace threads
