// Exercise 7.1: what a finished coroutine leaves behind — its value, or its exception.
#pragma once

#include <exception>
#include <memory>
#include <stdexcept>
#include <utility>
#include <variant>

#include <course/not_implemented.hpp>

namespace coro {

// Exercise 7.1 — Outcome<T>: empty until the coroutine ends, then either a value (for T&, the
// reference; for void, nothing) or the exception that left the coroutine. take() gives the value
// or rethrows the exception; taking from an empty Outcome is a std::logic_error.
template <class T>
class Outcome {
 public:
  template <class U>
  void set_value([[maybe_unused]] U&& value) {
    // TODO(7.1): keep the value (std::variant::emplace).
    throw course::NotImplemented("7.1", "Outcome::set_value");
  }
  void set_exception([[maybe_unused]] std::exception_ptr error) {
    // TODO(7.1): keep the exception.
    throw course::NotImplemented("7.1", "Outcome::set_exception");
  }
  [[nodiscard]] bool ready() const {
    // TODO(7.1): whether a value or an exception is kept.
    throw course::NotImplemented("7.1", "Outcome::ready");
  }

  // Moves the value out: a value is taken once.
  T take() {
    // TODO(7.1): rethrow a kept exception; give the value; std::logic_error if empty.
    throw course::NotImplemented("7.1", "Outcome::take");
  }

 private:
  // Nothing yet, the value, or the exception.
  std::variant<std::monostate, T, std::exception_ptr> state_;
};

// A reference result is kept as a pointer: no copy of the object is made.
template <class T>
class Outcome<T&> {
 public:
  void set_value([[maybe_unused]] T& value) {
    // TODO(7.1): keep where the object is.
    throw course::NotImplemented("7.1", "Outcome<T&>::set_value");
  }
  void set_exception([[maybe_unused]] std::exception_ptr error) {
    // TODO(7.1)
    throw course::NotImplemented("7.1", "Outcome<T&>::set_exception");
  }
  [[nodiscard]] bool ready() const {
    // TODO(7.1)
    throw course::NotImplemented("7.1", "Outcome<T&>::ready");
  }
  T& take() {
    // TODO(7.1): the object itself, or the exception rethrown.
    throw course::NotImplemented("7.1", "Outcome<T&>::take");
  }

 private:
  std::variant<std::monostate, T*, std::exception_ptr> state_;
};

template <>
class Outcome<void> {
 public:
  void set_value() {
    // TODO(7.1): remember that the coroutine ended.
    throw course::NotImplemented("7.1", "Outcome<void>::set_value");
  }
  void set_exception([[maybe_unused]] std::exception_ptr error) {
    // TODO(7.1)
    throw course::NotImplemented("7.1", "Outcome<void>::set_exception");
  }
  [[nodiscard]] bool ready() const {
    // TODO(7.1)
    throw course::NotImplemented("7.1", "Outcome<void>::ready");
  }
  void take() {
    // TODO(7.1): rethrow a kept exception; std::logic_error if the coroutine has not ended.
    throw course::NotImplemented("7.1", "Outcome<void>::take");
  }

 private:
  // TODO(7.1): whether the coroutine ended, and its exception if one left it.
};

}  // namespace coro
