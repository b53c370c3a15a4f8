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
    std::add_pointer_t<reference> current = nullptr;
    std::exception_ptr error;

    Generator get_return_object() noexcept {
      return Generator(std::coroutine_handle<promise_type>::from_promise(*this));
    }
    // Teacher's note: suspending here makes the generator lazy; and on final_suspend, so that
    // the frame stays until the Generator destroys it (the Generator can then ask done()).
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }

    // The value yielded stays where it is — a local of the coroutine, or the temporary of the
    // co_yield expression, which lives until the coroutine is resumed — and is pointed at.
    std::suspend_always yield_value(std::remove_reference_t<reference>& value) noexcept {
      current = std::addressof(value);
      return {};
    }
    std::suspend_always yield_value(std::remove_reference_t<reference>&& value) noexcept {
      current = std::addressof(value);
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
        promise->current = std::addressof(copy);  // here the copy has its final address
      }
      void await_resume() const noexcept {}
    };
    YieldCopy yield_value(const value_type& value) requires(!std::is_reference_v<T>) {
      return YieldCopy{value, this};
    }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { error = std::current_exception(); }

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

    reference operator*() const { return static_cast<reference>(*coroutine_.promise().current); }
    iterator& operator++() {
      resume(coroutine_);
      return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& it, std::default_sentinel_t) noexcept {
      return !it.coroutine_ || it.coroutine_.done();
    }

   private:
    std::coroutine_handle<promise_type> coroutine_;
  };

  Generator() = default;
  Generator(Generator&& other) noexcept : coroutine_(std::exchange(other.coroutine_, {})) {}
  Generator& operator=(Generator&& other) noexcept {
    if (this != &other) {
      destroy();
      coroutine_ = std::exchange(other.coroutine_, {});
    }
    return *this;
  }
  Generator(const Generator&) = delete;
  Generator& operator=(const Generator&) = delete;
  ~Generator() { destroy(); }

  std::optional<value_type> next() {
    if (!coroutine_ || coroutine_.done()) return std::nullopt;
    resume(coroutine_);
    if (coroutine_.done()) return std::nullopt;
    return std::optional<value_type>(std::in_place, *coroutine_.promise().current);
  }

  iterator begin() {
    if (coroutine_ && !coroutine_.done()) resume(coroutine_);
    return iterator(coroutine_);
  }
  [[nodiscard]] std::default_sentinel_t end() const noexcept { return {}; }

 private:
  explicit Generator(std::coroutine_handle<promise_type> coroutine) : coroutine_(coroutine) {}

  // Runs the body to its next co_yield or its end; an exception it stored is thrown here, to
  // the consumer, once.
  static void resume(std::coroutine_handle<promise_type> coroutine) {
    coroutine.resume();
    if (coroutine.done() && coroutine.promise().error) {
      std::rethrow_exception(std::exchange(coroutine.promise().error, nullptr));
    }
  }

  void destroy() noexcept {
    if (coroutine_) std::exchange(coroutine_, {}).destroy();
  }

  std::coroutine_handle<promise_type> coroutine_;
};

}  // namespace generators
