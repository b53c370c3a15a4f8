// Exercise 6.5: delegation — a generator that yields a whole nested generator.
#pragma once

#include <coroutine>
#include <exception>
#include <optional>
#include <utility>

#include <course/not_implemented.hpp>

namespace generators {

// Exercise 6.5 — RecursiveGenerator<T>: like Generator<T>, and `co_yield child;` of another
// RecursiveGenerator<T> yields every value of `child` (Python's `yield from`, C++23's
// std::ranges::elements_of). The consumer always resumes the innermost generator running
// directly, so a value costs the same at any depth, and a finished child hands control back to
// its parent by symmetric transfer: no machine stack grows with the depth.
template <class T>
class [[nodiscard]] RecursiveGenerator {
 public:
  struct promise_type {
    promise_type* root = this;       // the outermost generator's promise
    promise_type* leaf = this;       // in the root: the innermost generator running now
    promise_type* parent = nullptr;  // the generator that yielded this one
    const T* current = nullptr;      // in the root: the value yielded last
    std::exception_ptr error;

    std::coroutine_handle<promise_type> handle() {
      return std::coroutine_handle<promise_type>::from_promise(*this);
    }
    RecursiveGenerator get_return_object() {
      // TODO(6.5): as Generator's.
      throw course::NotImplemented("6.5", "RecursiveGenerator::promise_type::get_return_object");
    }
    std::suspend_always initial_suspend() noexcept { return {}; }

    auto final_suspend() noexcept {
      struct BackToTheParent {
        bool await_ready() const noexcept { return false; }
        std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type> done) noexcept {
          // TODO(6.5): a child hands control back to its parent (the root's leaf becomes the
          // parent again); the root, to whoever resumed it.
          (void)done;
          return std::noop_coroutine();
        }
        void await_resume() const noexcept {}
      };
      return BackToTheParent{};
    }

    std::suspend_always yield_value(const T& value) noexcept {
      root->current = &value;
      return {};
    }

    auto yield_value(RecursiveGenerator&& child) noexcept {
      struct Delegate {
        promise_type* self;
        std::coroutine_handle<promise_type> child;
        bool await_ready() const noexcept { return !child; }
        std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type>) noexcept {
          // TODO(6.5): link the child into the chain (root, parent, the root's leaf), then run it
          // in this one's place: return its handle.
          return std::noop_coroutine();
        }
        void await_resume() const {
          if (child && child.promise().error) {
            std::rethrow_exception(std::exchange(child.promise().error, nullptr));
          }
        }
      };
      // The child generator object is the co_yield's operand: it lives (and owns its frame)
      // until this generator is resumed after it.
      return Delegate{this, child.coroutine_};
    }

    void return_void() noexcept {}
    void unhandled_exception() noexcept { error = std::current_exception(); }
  };

  RecursiveGenerator(RecursiveGenerator&& other) noexcept
      : coroutine_(std::exchange(other.coroutine_, {})) {}
  RecursiveGenerator& operator=(RecursiveGenerator&& other) noexcept {
    if (this != &other) {
      if (coroutine_) coroutine_.destroy();
      coroutine_ = std::exchange(other.coroutine_, {});
    }
    return *this;
  }
  RecursiveGenerator(const RecursiveGenerator&) = delete;
  RecursiveGenerator& operator=(const RecursiveGenerator&) = delete;
  ~RecursiveGenerator() {
    if (coroutine_) coroutine_.destroy();
  }

  std::optional<T> next() {
    // TODO(6.5): resume the innermost generator running (the root's leaf), not the root.
    throw course::NotImplemented("6.5", "RecursiveGenerator::next");
  }

 private:
  explicit RecursiveGenerator(std::coroutine_handle<promise_type> coroutine)
      : coroutine_(coroutine) {}

  std::coroutine_handle<promise_type> coroutine_;
};

}  // namespace generators
