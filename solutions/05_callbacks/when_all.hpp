// Exercise 5.3: joining many completion callbacks into one.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace callbacks {

// Exercise 5.3 — when_all<T>(n, on_all_done) makes n callbacks, one per operation to wait
// for. Calling the i-th with a value stores it as result i; when each of the n has been called,
// on_all_done gets the n results, in the order of the callbacks (of the requests), whatever
// order they were called in. Then and only then, exactly once.
//  - n == 0: nothing to wait for, so on_all_done({}) is called at once, by when_all itself.
//  - Calling one callback twice is a bug in the caller: it throws std::logic_error (and does
//    not count as another operation done).
//  - The callbacks may outlive the call to when_all, and each other: they share what they need.
template <class T>
std::vector<std::function<void(T)>> when_all(std::size_t n,
                                             std::function<void(std::vector<T>)> on_all_done) {
  // Teacher's note: the state is shared by the n callbacks and lives as long as the last of
  // them — the usual shape of "join" in callback code (JavaScript's Promise.all, asyncio's
  // gather). Counting the results still missing, not the calls made, makes a double call an
  // error instead of an early finish.
  struct State {
    std::vector<std::optional<T>> results;
    std::size_t missing;
    std::function<void(std::vector<T>)> on_all_done;
  };
  if (n == 0) {
    on_all_done({});
    return {};
  }
  auto state =
      std::make_shared<State>(State{std::vector<std::optional<T>>(n), n, std::move(on_all_done)});
  std::vector<std::function<void(T)>> callbacks;
  callbacks.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    callbacks.emplace_back([state, i](T value) {
      if (state->results[i].has_value()) {
        throw std::logic_error("when_all: callback " + std::to_string(i) + " was called twice");
      }
      state->results[i] = std::move(value);
      if (--state->missing > 0) return;
      std::vector<T> results;
      results.reserve(state->results.size());
      for (std::optional<T>& result : state->results) results.push_back(std::move(*result));
      state->on_all_done(std::move(results));
    });
  }
  return callbacks;
}

}  // namespace callbacks
