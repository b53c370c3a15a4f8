// Exercise 6.5: delegation — a generator that yields a whole nested generator.
#pragma once

#include <coroutine>
#include <exception>
#include <optional>
#include <utility>

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
    RecursiveGenerator get_return_object() noexcept { return RecursiveGenerator(handle()); }
    std::suspend_always initial_suspend() noexcept { return {}; }

    auto final_suspend() noexcept {
      struct BackToTheParent {
        bool await_ready() const noexcept { return false; }
        std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type> done) noexcept {
          promise_type& child = done.promise();
          if (child.parent == nullptr) return std::noop_coroutine();  // the root: back to next()
          child.root->leaf = child.parent;
          return child.parent->handle();  // resume the parent after its co_yield of us
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
          promise_type& nested = child.promise();
          nested.root = self->root;
          nested.parent = self;
          self->root->leaf = &nested;
          return child;  // start the child at once, in place of this one
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
    if (!coroutine_ || coroutine_.done()) return std::nullopt;
    promise_type& root = coroutine_.promise();
    root.leaf->handle().resume();
    if (coroutine_.done()) {
      if (root.error) std::rethrow_exception(std::exchange(root.error, nullptr));
      return std::nullopt;
    }
    return *root.current;
  }

 private:
  explicit RecursiveGenerator(std::coroutine_handle<promise_type> coroutine)
      : coroutine_(coroutine) {}

  std::coroutine_handle<promise_type> coroutine_;
};

}  // namespace generators
