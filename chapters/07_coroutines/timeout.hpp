// Exercise 7.4: wait_for — a task with a time limit.
#pragma once

#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <variant>

#include <course/not_implemented.hpp>

#include "event_loop.hpp"
#include "gather.hpp"
#include "sleep.hpp"
#include "task.hpp"

namespace coro {

// asyncio.TimeoutError.
class TimeoutError : public std::runtime_error {
 public:
  TimeoutError() : std::runtime_error("the task did not end within its time limit") {}
};

namespace detail {

template <class T>
Task<> cancel_after(JoinHandle<T> task, Clock::duration limit, std::shared_ptr<bool> fired) {
  co_await sleep(limit);
  *fired = task.cancel();
}

}  // namespace detail

// Exercise 7.4 — asyncio.wait_for(task, timeout): the task's result if it ends within
// `timeout`; otherwise it is cancelled, and once it has ended, TimeoutError. Cancelling the
// coroutine that awaits wait_for cancels the task too.
template <class T>
Task<T> wait_for(Task<T> /*task*/, Clock::duration /*timeout*/) {
  // TODO(7.4): spawn the task and a watchdog (detail::cancel_after); await the task; then
  // cancel and await the watchdog (never inside a catch block: C++ forbids co_await there);
  // TimeoutError if the watchdog fired, else the task's result or exception.
  throw course::NotImplemented("7.4", "wait_for");
}

}  // namespace coro
