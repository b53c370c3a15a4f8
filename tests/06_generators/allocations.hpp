// Counting heap allocations: this test program replaces the global operator new (in
// allocations.cpp) so that a test can ask how many allocations a piece of code made.
#pragma once

#include <cstddef>

namespace allocations {

// Allocations made by this thread since the scope began.
class Counter {
 public:
  Counter();
  Counter(const Counter&) = delete;
  Counter& operator=(const Counter&) = delete;
  ~Counter() = default;
  [[nodiscard]] std::size_t count() const;
  [[nodiscard]] std::size_t bytes() const;

 private:
  std::size_t start_count_;
  std::size_t start_bytes_;
};

}  // namespace allocations
