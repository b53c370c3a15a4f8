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
  // TODO(2.3): a std::mutex (mutable: value() is const and must lock it too) and a long.
};

// Exercise 2.3 — AtomicCounter: the same, with a std::atomic<long>: each addition is one
// indivisible read-modify-write, so no lock is needed.
class AtomicCounter {
 public:
  void add(long amount);
  [[nodiscard]] long value() const;

 private:
  // TODO(2.3): a std::atomic<long>.
};

}  // namespace threads
