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

#include <course/not_implemented.hpp>

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
std::vector<std::function<void(T)>> when_all(
    [[maybe_unused]] std::size_t n,
    [[maybe_unused]] std::function<void(std::vector<T>)> on_all_done) {
  // TODO(5.3): make n callbacks that share one record of the results still missing.
  throw course::NotImplemented("5.3", "when_all");
}

}  // namespace callbacks
