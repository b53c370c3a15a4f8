// Exercise 8.5: many tasks at once, their results in order.
#pragma once

#include <exception>
#include <vector>

#include <course/not_implemented.hpp>

#include "task.hpp"

namespace uvx {

// Exercise 8.5 — asyncio.gather: every task is started first (each runs until it first waits),
// then each is awaited in turn: they wait at the same time, so the whole takes about as long as
// the slowest, not the sum. The results come in the order of the tasks, whatever order they
// finished in. If tasks throw, gather still waits for all of them (a task is not dropped while
// it runs), then rethrows the exception of the first one in the list that threw. Destroying the
// gather task cancels every task it holds.
template <class T>
Task<std::vector<T>> gather([[maybe_unused]] std::vector<Task<T>> tasks) {
  // TODO(8.5): start every task, then co_await each in turn, keeping its result — or, the first
  // time one throws, its exception (std::current_exception) — and rethrow that at the end.
  // (Awaiting each without starting them all first runs them one after another.)
  throw course::NotImplemented("8.5", "uvx::gather");
}

// The same for tasks that give nothing.
inline Task<void> gather([[maybe_unused]] std::vector<Task<void>> tasks) {
  // TODO(8.5): as above, without results.
  throw course::NotImplemented("8.5", "uvx::gather");
}

}  // namespace uvx
