// Exercise 6.3: pipelines — generators that consume generators.
#pragma once

#include <cstddef>
#include <functional>
#include <type_traits>
#include <utility>

#include "generator.hpp"

namespace generators {

// Exercise 6.3 — the first n values of `source`, pulling no more than n from it.
template <class T>
Generator<T> take(Generator<T> source, std::size_t n) {
  // Teacher's note: a coroutine's parameters are moved into its frame, so `source` lives as
  // long as this generator does. Return right after the n-th value: one more ++ would pull an
  // (n+1)-th from upstream — from an infinite source, work for nothing.
  if (n == 0) co_return;
  for (auto&& value : source) {
    co_yield value;
    if (--n == 0) co_return;
  }
}

// Exercise 6.3 — the values of `source` for which keep(value) is true, one at a time.
template <class T, std::predicate<std::remove_reference_t<T>&> Keep>
Generator<T> filter(Generator<T> source, Keep keep) {
  for (auto&& value : source) {
    if (std::invoke(keep, value)) co_yield value;
  }
}

// The type of f(value) for a value of a Generator<T>.
template <class F, class T>
using Mapped = std::invoke_result_t<F&, std::remove_reference_t<T>&>;

// Exercise 6.3 — f(value) for each value of `source`, computed when it is asked for.
template <class T, std::invocable<std::remove_reference_t<T>&> F>
Generator<Mapped<F, T>> transform(Generator<T> source, F f) {
  for (auto&& value : source) co_yield std::invoke(f, value);
}

}  // namespace generators
