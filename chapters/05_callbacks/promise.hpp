// Exercise 5.4: a small single-threaded promise, so that errors skip to the first handler.
#pragma once

#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

#include <course/not_implemented.hpp>

#include "scheduler.hpp"

namespace callbacks {

template <class T>
class Promise;

// What a step of then() may return: nothing, or the Promise of the next asynchronous step.
template <class R>
inline constexpr bool is_step_result = std::is_void_v<R>;
template <class U>
inline constexpr bool is_step_result<Promise<U>> = true;

// Exercise 5.4 — Promise<T>: a value (or an error) that will be there later.
//
//  - resolve(value) or reject(error) settles it, once; settling it again throws
//    std::logic_error.
//  - then(step) says what to do with the value. `step` takes the value and either returns
//    another Promise<U> — the next asynchronous step — and then() returns a Promise<U> that
//    settles as that one does; or returns nothing, and then() returns a Promise<T> with the same
//    value, after `step` has run. If this promise fails, or `step` throws, the promise then()
//    returned fails with that error, and `step` is not called: an error skips every step up to
//    the first catch_error.
//  - catch_error(handler) calls handler(error), once, if this promise fails.
//  - Steps and handlers always run later, from the loop (through call_soon) — never inside
//    resolve(), reject(), then() or catch_error(), even on a promise already settled. So code
//    right after a then() always runs before its step, whichever came first.
//  - Copies share one promise: a copy may resolve what another copy waits for.
template <class T>
class Promise {
 public:
  using value_type = T;
  // What then(step) returns: the step's own Promise<U>, or Promise<T> for a step returning
  // nothing.
  template <class Step>
  using ThenPromise = std::conditional_t<std::is_void_v<std::invoke_result_t<Step&, T&>>,
                                         Promise<T>, std::invoke_result_t<Step&, T&>>;

  explicit Promise(Scheduler& loop) : state_(std::make_shared<State>(State{&loop})) {}

  void resolve([[maybe_unused]] T value) {
    // TODO(5.4): store the value; schedule what waits for it.
    throw course::NotImplemented("5.4", "Promise::resolve");
  }

  void reject([[maybe_unused]] std::exception_ptr error) {
    // TODO(5.4)
    throw course::NotImplemented("5.4", "Promise::reject");
  }

  [[nodiscard]] bool settled() const { return state_->value.has_value() || state_->error; }

  template <class Step>
  requires std::invocable<Step&, T&> && is_step_result<std::invoke_result_t<Step&, T&>>
      ThenPromise<Step> then([[maybe_unused]] Step step) {
    // TODO(5.4): a new promise for the step's outcome, settled by a continuation that runs
    // once this one has settled.
    throw course::NotImplemented("5.4", "Promise::then");
  }

  template <class Handler>
  requires std::invocable<Handler&, std::exception_ptr>
  void catch_error([[maybe_unused]] Handler handler) {
    // TODO(5.4)
    throw course::NotImplemented("5.4", "Promise::catch_error");
  }

 private:
  template <class>
  friend class Promise;

  struct State {
    Scheduler* loop;
    std::optional<T> value{};
    std::exception_ptr error{};
    std::vector<Callback> waiting{};  // to schedule when the promise settles
  };

  // TODO(5.4): helpers you may want — "run this continuation (through the loop) once the
  // promise has settled", "schedule everything waiting".

  std::shared_ptr<State> state_;
};

// Given: a Promise for a call in the completion-callback style of the Shop:
//   promised<int>(loop, [&](Done<int> done) { shop.find_user("ada", std::move(done)); })
template <class T, class Start>
Promise<T> promised(Scheduler& loop, Start&& start) {
  Promise<T> promise(loop);
  std::forward<Start>(start)([promise](std::exception_ptr error, T value) mutable {
    if (error) {
      promise.reject(std::move(error));
    } else {
      promise.resolve(std::move(value));
    }
  });
  return promise;
}

}  // namespace callbacks
