// Exercise 7.4: wait_for — a task with a time limit.
#pragma once

#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <variant>

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
Task<T> wait_for(Task<T> task, Clock::duration timeout) {
  auto child = spawn(std::move(task));
  const auto fired = std::make_shared<bool>(false);
  auto watchdog = spawn(detail::cancel_after(child, timeout, fired));
  std::exception_ptr error;
  std::optional<Gathered<T>> result;
  try {
    if constexpr (std::is_void_v<T>) {
      co_await child;
      result.emplace();
    } else {
      result.emplace(co_await child);
    }
  } catch (...) {
    error = std::current_exception();
  }
  // (No co_await inside a catch block: C++ forbids it, so the clean-up comes after.)
  watchdog.cancel();
  try {
    co_await watchdog;
  } catch (const Cancelled&) {
  }
  if (*fired) throw TimeoutError();
  if (error) std::rethrow_exception(error);
  if constexpr (!std::is_void_v<T>) co_return std::move(*result);
}

}  // namespace coro
