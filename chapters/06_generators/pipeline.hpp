// Exercise 6.3: pipelines — generators that consume generators.
#pragma once

#include <cstddef>
#include <functional>
#include <type_traits>
#include <utility>

#include <course/not_implemented.hpp>

#include "generator.hpp"

namespace generators {

// Exercise 6.3 — the first n values of `source`, pulling no more than n from it.
template <class T>
Generator<T> take([[maybe_unused]] Generator<T> source, [[maybe_unused]] std::size_t n) {
  // TODO(6.3): a coroutine: co_yield what the source gives, n times at most.
  throw course::NotImplemented("6.3", "take");
}

// Exercise 6.3 — the values of `source` for which keep(value) is true, one at a time.
template <class T, std::predicate<std::remove_reference_t<T>&> Keep>
Generator<T> filter([[maybe_unused]] Generator<T> source, [[maybe_unused]] Keep keep) {
  // TODO(6.3): a coroutine over the source.
  throw course::NotImplemented("6.3", "filter");
}

// The type of f(value) for a value of a Generator<T>.
template <class F, class T>
using Mapped = std::invoke_result_t<F&, std::remove_reference_t<T>&>;

// Exercise 6.3 — f(value) for each value of `source`, computed when it is asked for.
template <class T, std::invocable<std::remove_reference_t<T>&> F>
Generator<Mapped<F, T>> transform([[maybe_unused]] Generator<T> source, [[maybe_unused]] F f) {
  // TODO(6.3): a coroutine over the source.
  throw course::NotImplemented("6.3", "transform");
}

}  // namespace generators
