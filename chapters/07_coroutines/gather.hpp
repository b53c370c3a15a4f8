// Exercise 7.3: gather — run tasks concurrently, collect their results in argument order.
#pragma once

#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <course/not_implemented.hpp>

#include "event_loop.hpp"
#include "task.hpp"

namespace coro {

// In gather's results a Task<void> gives std::monostate.
template <class T>
using Gathered = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

namespace detail {

// The tasks of one gather: the first exception among them (first in time), and how to cancel
// them all.
struct Group {
  std::exception_ptr first_error;
  std::vector<std::function<void()>> cancel_members;
};

// A member of a group: its exception, if it is the first, cancels the others (asyncio's
// TaskGroup); the result of a void task becomes std::monostate.
template <class T>
Task<Gathered<T>> member(Task<T> task, std::shared_ptr<Group> group) {
  try {
    if constexpr (std::is_void_v<T>) {
      co_await std::move(task);
      co_return std::monostate{};
    } else {
      co_return co_await std::move(task);
    }
  } catch (...) {
    // TODO(7.3): the first exception of the group (first in time) is kept, and cancels every
    // member; then, as every exception here, it goes on (throw;).
    course::report_not_implemented("7.3", "gather: a member's exception");
    throw;
  }
}

// Awaits one member's end; a failure is not thrown here (the group's first error is, once
// every member has ended).
template <class T>
Task<> collect(JoinHandle<T>& member, std::optional<T>& result) {
  try {
    result.emplace(co_await member);
  } catch (...) {
  }
}

template <class T>
JoinHandle<Gathered<T>> spawn_member(Task<T> task, const std::shared_ptr<Group>& group) {
  JoinHandle<Gathered<T>> handle = spawn(member(std::move(task), group));
  group->cancel_members.emplace_back([handle]() mutable { handle.cancel(); });
  return handle;
}

// The skeleton only: a task gather cannot run yet is dropped without the never-awaited warning
// (the warning would blame the caller, whose co_await is right).
template <class T>
void quietly_dropped(Task<T>& task) {
  if (task.handle()) task.handle().promise().started = true;
}

template <class... T, std::size_t... I>
Task<std::tuple<Gathered<T>...>> gather_in_order(std::index_sequence<I...> /*indices*/,
                                                 Task<T>... tasks) {
  // TODO(7.3): spawn every task as a member of one Group, in the order given (a braced list
  // is evaluated left to right; a function's arguments are not); await each member's end
  // (collect), even after one failed; rethrow the group's first error, or give the results.
  (quietly_dropped(tasks), ...);  // (until then: the tasks are dropped without a warning)
  throw course::NotImplemented("7.3", "gather");
}

}  // namespace detail

// Exercise 7.3 — `auto [a, b] = co_await gather(f(), g());`: runs the tasks concurrently (each
// spawned on the running loop) and gives their results in the order of the arguments, whatever
// the order they end in. The first exception, in time, cancels the other tasks; gather rethrows
// it once all have ended. Cancelling the task that awaits gather cancels them all.
template <class... T>
Task<std::tuple<Gathered<T>...>> gather(Task<T>... tasks) {
  return detail::gather_in_order(std::index_sequence_for<T...>{}, std::move(tasks)...);
}

// The same over a vector of tasks of one type.
template <class T>
Task<std::vector<Gathered<T>>> gather(std::vector<Task<T>> tasks) {
  // TODO(7.3): as the variadic gather, over a vector.
  for (auto& task : tasks) detail::quietly_dropped(task);  // (until then: no warnings)
  throw course::NotImplemented("7.3", "gather (a vector)");
}

}  // namespace coro
