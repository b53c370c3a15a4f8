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
    if (!group->first_error) {
      group->first_error = std::current_exception();
      for (const auto& cancel : group->cancel_members) cancel();
    }
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

template <class... T, std::size_t... I>
Task<std::tuple<Gathered<T>...>> gather_in_order(std::index_sequence<I...> /*indices*/,
                                                 Task<T>... tasks) {
  const auto group = std::make_shared<Group>();
  // Braces, not make_tuple(...): the elements of a braced list are evaluated left to right,
  // a function's arguments in any order (g++ goes right to left) — and the tasks must start in
  // the order they were passed.
  std::tuple<JoinHandle<Gathered<T>>...> members{spawn_member(std::move(tasks), group)...};
  std::tuple<std::optional<Gathered<T>>...> results;
  // Every member is awaited to its end, even after one failed: gather never returns while a
  // task it started still runs.
  (co_await collect(std::get<I>(members), std::get<I>(results)), ...);
  if (group->first_error) std::rethrow_exception(group->first_error);
  co_return std::tuple<Gathered<T>...>(std::move(*std::get<I>(results))...);
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
  const auto group = std::make_shared<detail::Group>();
  std::vector<JoinHandle<Gathered<T>>> members;
  members.reserve(tasks.size());
  for (auto& task : tasks) members.push_back(detail::spawn_member(std::move(task), group));
  std::vector<std::optional<Gathered<T>>> results(members.size());
  for (std::size_t i = 0; i < members.size(); ++i) co_await detail::collect(members[i], results[i]);
  if (group->first_error) std::rethrow_exception(group->first_error);
  std::vector<Gathered<T>> values;
  values.reserve(results.size());
  for (auto& result : results) values.push_back(std::move(*result));
  co_return values;
}

}  // namespace coro
