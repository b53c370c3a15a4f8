// Exercise 7.1: what a finished coroutine leaves behind — its value, or its exception.
#pragma once

#include <exception>
#include <memory>
#include <stdexcept>
#include <utility>
#include <variant>

namespace coro {

// Exercise 7.1 — Outcome<T>: empty until the coroutine ends, then either a value (for T&, the
// reference; for void, nothing) or the exception that left the coroutine. take() gives the value
// or rethrows the exception; taking from an empty Outcome is a std::logic_error.
template <class T>
class Outcome {
 public:
  template <class U>
  void set_value(U&& value) {
    state_.template emplace<1>(std::forward<U>(value));
  }
  void set_exception(std::exception_ptr error) noexcept { state_.template emplace<2>(error); }
  [[nodiscard]] bool ready() const noexcept { return state_.index() != 0; }

  // Moves the value out: a value is taken once.
  T take() {
    if (state_.index() == 2) std::rethrow_exception(std::get<2>(state_));
    if (state_.index() == 0) throw std::logic_error("Outcome::take: the coroutine has not ended");
    return std::move(std::get<1>(state_));
  }

 private:
  std::variant<std::monostate, T, std::exception_ptr> state_;
};

// A reference result is kept as a pointer: no copy of the object is made.
template <class T>
class Outcome<T&> {
 public:
  void set_value(T& value) noexcept { state_.template emplace<1>(std::addressof(value)); }
  void set_exception(std::exception_ptr error) noexcept { state_.template emplace<2>(error); }
  [[nodiscard]] bool ready() const noexcept { return state_.index() != 0; }

  T& take() {
    if (state_.index() == 2) std::rethrow_exception(std::get<2>(state_));
    if (state_.index() == 0) throw std::logic_error("Outcome::take: the coroutine has not ended");
    return *std::get<1>(state_);
  }

 private:
  std::variant<std::monostate, T*, std::exception_ptr> state_;
};

template <>
class Outcome<void> {
 public:
  void set_value() noexcept { ended_ = true; }
  void set_exception(std::exception_ptr error) noexcept {
    ended_ = true;
    error_ = error;
  }
  [[nodiscard]] bool ready() const noexcept { return ended_; }

  void take() {
    if (error_) std::rethrow_exception(error_);
    if (!ended_) throw std::logic_error("Outcome::take: the coroutine has not ended");
  }

 private:
  bool ended_ = false;
  std::exception_ptr error_;
};

}  // namespace coro
