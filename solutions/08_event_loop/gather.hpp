// Exercise 8.5: many tasks at once, their results in order.
#pragma once

#include <exception>
#include <vector>

#include "task.hpp"

namespace uvx {

// Exercise 8.5 — asyncio.gather: every task is started first (each runs until it first waits),
// then each is awaited in turn: they wait at the same time, so the whole takes about as long as
// the slowest, not the sum. The results come in the order of the tasks, whatever order they
// finished in. If tasks throw, gather still waits for all of them (a task is not dropped while
// it runs), then rethrows the exception of the first one in the list that threw. Destroying the
// gather task cancels every task it holds.
template <class T>
Task<std::vector<T>> gather(std::vector<Task<T>> tasks) {
  for (auto& task : tasks) task.start();
  std::vector<T> results;
  results.reserve(tasks.size());
  std::exception_ptr first_error;
  for (auto& task : tasks) {
    try {
      results.push_back(co_await task);
    } catch (...) {
      if (!first_error) first_error = std::current_exception();
    }
  }
  if (first_error) std::rethrow_exception(first_error);
  co_return results;
}

// The same for tasks that give nothing.
inline Task<void> gather(std::vector<Task<void>> tasks) {
  for (auto& task : tasks) task.start();
  std::exception_ptr first_error;
  for (auto& task : tasks) {
    try {
      co_await task;
    } catch (...) {
      if (!first_error) first_error = std::current_exception();
    }
  }
  if (first_error) std::rethrow_exception(first_error);
}

}  // namespace uvx
