// Exercise 6.1: Generator<T> — a function that stops at each co_yield and goes on when asked.
#pragma once

#include <coroutine>
#include <cstddef>
#include <exception>
#include <iterator>
#include <memory>
#include <optional>
#include <ranges>
#include <type_traits>
#include <utility>

#include <course/not_implemented.hpp>

namespace generators {

// Exercise 6.1 — Generator<T>: what a coroutine that co_yields values of T returns.
//
//  - Lazy: calling the coroutine runs none of its body; the first next() (or begin()) runs it
//    up to its first co_yield.
//  - next() resumes the body up to its next co_yield and returns a copy of the value yielded, or
//    std::nullopt once the body has ended (Python's next(), with the end as nullopt). After the
//    end, next() keeps returning nullopt.
//  - An exception that leaves the body is stored, and thrown by the next() (or ++) that resumed
//    it; the generator has ended after that.
//  - for (auto& v : generator) works: begin() runs to the first co_yield, ++ to the next;
//    *it refers to the value yielded, where it lives in the coroutine: no copy is made.
//  - It owns the coroutine's frame: move-only, and destroying it destroys the frame (and so the
//    coroutine's locals), even when the body has not ended; assigning over it destroys the frame
//    it had. A moved-from (or default-made) generator has no frame: next() gives nullopt. (Ask
//    a handle whether it is null before done() or resume(): on a null handle both are undefined.)
//  - It is a std::ranges::view, so std::views::filter, take, transform... work on it.
template <class T>
class [[nodiscard]] Generator : public std::ranges::view_base {
 public:
  using value_type = std::remove_cvref_t<T>;
  // What *it gives: a reference to the yielded object (for Generator<int>, int&).
  using reference = std::conditional_t<std::is_reference_v<T>, T, T&>;

  struct promise_type {
    // TODO(6.1): what the promise keeps between the coroutine and its consumer: where the value
    // yielded last is (a std::add_pointer_t<reference>: for Generator<const Heavy&> that is a
    // const Heavy*), and an exception that left the body.

    Generator get_return_object() {
      // TODO(6.1): a Generator owning this coroutine (std::coroutine_handle::from_promise).
      throw course::NotImplemented("6.1", "Generator::promise_type::get_return_object");
    }
    // TODO(6.1): lazy — nothing of the body may run before the first next(). (Nothing to fill
    // in here: the return type decides. std::suspend_never runs the body at once.)
    std::suspend_never initial_suspend() noexcept { return {}; }
    // Given: the frame stays after the body has ended, until the Generator destroys it.
    std::suspend_always final_suspend() noexcept { return {}; }

    std::suspend_always yield_value(std::remove_reference_t<reference>& /*value*/) noexcept {
      // TODO(6.1): remember where the value is (no copy), and suspend.
      return {};
    }
    std::suspend_always yield_value(std::remove_reference_t<reference>&& /*value*/) noexcept {
      // TODO(6.1): the same for a temporary (it lives until the coroutine is resumed).
      return {};
    }
    // A const object (co_yield node->value, from a const node) cannot be what *it refers to:
    // for Generator<int>, *it is an int& the consumer may change. So it is copied into the
    // awaiter, which lives in the frame while the coroutine is suspended.
    struct YieldCopy {
      value_type copy;
      promise_type* promise;
      bool await_ready() const noexcept { return false; }
      void await_suspend(std::coroutine_handle<>) noexcept {
        // TODO(6.1): point the promise at the copy (here, where it has its final address).
      }
      void await_resume() const noexcept {}
    };
    YieldCopy yield_value(const value_type& value) requires(!std::is_reference_v<T>) {
      return YieldCopy{value, this};
    }
    void return_void() noexcept {}
    void unhandled_exception() noexcept {
      // TODO(6.1): keep the exception for the consumer.
    }

    // A generator cannot co_await: there is no loop to wait in (that is chapter 7).
    template <class U>
    std::suspend_never await_transform(U&&) = delete;
  };

  class iterator {
   public:
    using iterator_concept = std::input_iterator_tag;
    using difference_type = std::ptrdiff_t;
    using value_type = Generator::value_type;

    iterator() = default;
    explicit iterator(std::coroutine_handle<promise_type> coroutine) : coroutine_(coroutine) {}

    reference operator*() const {
      // TODO(6.1): the value the coroutine yielded last.
      throw course::NotImplemented("6.1", "Generator::iterator::operator*");
    }
    iterator& operator++() {
      // TODO(6.1): resume the coroutine; an exception it stored goes to the caller.
      throw course::NotImplemented("6.1", "Generator::iterator::operator++");
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& it, std::default_sentinel_t) noexcept {
      return !it.coroutine_ || it.coroutine_.done();
    }

   private:
    std::coroutine_handle<promise_type> coroutine_;
  };

  Generator() = default;
  // TODO(6.1): moving takes the frame; the moved-from generator has none.
  Generator(Generator&& /*other*/) noexcept {
    course::report_not_implemented("6.1", "Generator(Generator&&)");
  }
  Generator& operator=(Generator&& /*other*/) noexcept {
    course::report_not_implemented("6.1", "Generator::operator=(Generator&&)");
    return *this;
  }
  Generator(const Generator&) = delete;
  Generator& operator=(const Generator&) = delete;
  ~Generator() {
    // TODO(6.1): destroy the frame this generator owns, if any.
    course::report_not_implemented("6.1", "Generator::~Generator");
  }

  std::optional<value_type> next() {
    // TODO(6.1): resume; nullopt once the body has ended; otherwise a copy of the value.
    throw course::NotImplemented("6.1", "Generator::next");
  }

  iterator begin() {
    // TODO(6.1): run the body to its first co_yield.
    throw course::NotImplemented("6.1", "Generator::begin");
  }
  [[nodiscard]] std::default_sentinel_t end() const noexcept { return {}; }

 private:
  explicit Generator(std::coroutine_handle<promise_type> coroutine) : coroutine_(coroutine) {}

  std::coroutine_handle<promise_type> coroutine_;
};

}  // namespace generators
