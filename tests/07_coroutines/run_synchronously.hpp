// For exercise 7.1's tests, which need no event loop: runs a Task that never suspends on
// anything but other tasks to its end, from ordinary code, and gives its value or rethrows.
#pragma once

#include <coroutine>
#include <exception>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <variant>

#include "task.hpp"

namespace coro_testing {

// An eager coroutine that co_awaits the task: the task's end resumes it, and it ends too.
struct Driver {
  struct promise_type {
    Driver get_return_object() noexcept {
      return Driver{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { error = std::current_exception(); }
    std::exception_ptr error;
  };
  explicit Driver(std::coroutine_handle<promise_type> c) noexcept : coroutine(c) {}
  // Movable only because clang 14 moves a coroutine's return object out of
  // get_return_object's result.
  Driver(Driver&& other) noexcept : coroutine(std::exchange(other.coroutine, {})) {}
  Driver& operator=(Driver&&) = delete;
  ~Driver() {
    if (coroutine) coroutine.destroy();
  }
  std::coroutine_handle<promise_type> coroutine;
};

// The coroutines that co_await the task (free functions, not lambdas: a lambda coroutine's
// captures live in the lambda object, which may die before its frame).
template <class T, class Stored>
Driver await_into(coro::Task<T> task, std::optional<Stored>& out) {
  if constexpr (std::is_void_v<T>) {
    co_await std::move(task);
    out.emplace();
  } else if constexpr (std::is_reference_v<T>) {
    out.emplace(&(co_await std::move(task)));
  } else {
    out.emplace(co_await std::move(task));
  }
}

template <class T>
T run_synchronously(coro::Task<T> task) {
  using Stored = std::conditional_t<
      std::is_void_v<T>, std::monostate,
      std::conditional_t<std::is_reference_v<T>, std::remove_reference_t<T>*, T>>;
  std::optional<Stored> result;
  const Driver driver = await_into(std::move(task), result);
  if (!driver.coroutine.done()) {
    throw std::logic_error(
        "the task suspended on something other than a task, and nothing "
        "resumed it (these tests run without an event loop)");
  }
  if (driver.coroutine.promise().error) std::rethrow_exception(driver.coroutine.promise().error);
  if constexpr (std::is_void_v<T>) {
    return;
  } else if constexpr (std::is_reference_v<T>) {
    return **result;
  } else {
    return std::move(*result);
  }
}

}  // namespace coro_testing
