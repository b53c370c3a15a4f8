// course::allocation_counter — counting heap allocations. A test program that links it (a
// chapter's TEST_USES course::allocation_counter) has the global operator new replaced
// (allocation_counter.cpp), so that a test can ask how many allocations a piece of code made,
// coroutine frames included.
#pragma once

#include <cstddef>

namespace course {

// Allocations made by this thread since the scope began.
class AllocationCounter {
 public:
  AllocationCounter();
  AllocationCounter(const AllocationCounter&) = delete;
  AllocationCounter& operator=(const AllocationCounter&) = delete;
  ~AllocationCounter() = default;
  [[nodiscard]] std::size_t count() const;
  [[nodiscard]] std::size_t bytes() const;

 private:
  std::size_t start_count_;
  std::size_t start_bytes_;
};

}  // namespace course
