// Exercise 5.1: higher-order functions — a function that takes the function it calls.
#pragma once

#include <concepts>
#include <functional>
#include <type_traits>
#include <vector>

namespace callbacks {

// Exercise 5.1 — arithmetic(values, callback): the notebooks' higher-order function. Calls
// callback(v) for each value in order and returns the results in that order:
//
//   arithmetic(std::vector{2, 3, 5}, square)   // {4, 9, 25}
//   arithmetic(std::vector{2, 3, 5}, cube)     // {8, 27, 125}
//
//  - Any callable: a function, a lambda, a function object, a pointer to a member function
//    (arithmetic(shapes, &Shape::area) calls shape.area() for each shape).
//  - The callable it was given is the one called, once per value: a function object passed by
//    name keeps what it counted; a callable that can only be moved works too.
//  - Every call is made before arithmetic returns, on the caller's thread: this callback runs
//    now, synchronously — unlike a completion callback (exercise 5.3), which runs later.
template <class F, class T>
using CallbackResult = std::remove_cvref_t<std::invoke_result_t<F&, const T&>>;

template <class T, class F>
requires std::invocable<F&, const T&> std::vector<CallbackResult<F, T>> arithmetic(
    const std::vector<T>& values, F&& callback) {
  // Teacher's note: F&& binds to anything without copying it; std::invoke makes member
  // pointers callable like functions. The callback is called as an lvalue, since it is
  // called many times (an rvalue call could move from it the first time).
  std::vector<CallbackResult<F, T>> results;
  results.reserve(values.size());
  for (const T& value : values) results.push_back(std::invoke(callback, value));
  return results;
}

}  // namespace callbacks
