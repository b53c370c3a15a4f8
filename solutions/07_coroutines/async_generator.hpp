// Exercise 7.5: async generators — values that take waiting to produce.
#pragma once

#include <coroutine>
#include <exception>
#include <optional>
#include <stdexcept>
#include <utility>

namespace coro {

// Exercise 7.5 — AsyncGenerator<T>: a coroutine that may both co_await (sleep, other tasks) and
// co_yield values. `co_await gen.next()` resumes it up to its next co_yield and gives the value,
// or std::nullopt once it has ended (Python's `__anext__` raising StopAsyncIteration); an
// exception that leaves it is rethrown by that co_await. Lazy and move-only, like Task.
//
//   while (auto tick = co_await ticks.next()) use(*tick);
//
// The generator runs inside the task that consumes it: its sleeps are that task's, and
// cancelling that task cancels the generator where it waits.
template <class T>
class [[nodiscard]] AsyncGenerator {
 public:
  struct promise_type {
    std::optional<T> current;
    std::exception_ptr error;
    std::coroutine_handle<> consumer;  // who awaits next() now

    AsyncGenerator get_return_object() noexcept {
      return AsyncGenerator(std::coroutine_handle<promise_type>::from_promise(*this));
    }
    std::suspend_always initial_suspend() noexcept { return {}; }

    // co_yield and the end both hand control back to the consumer, by symmetric transfer.
    struct BackToTheConsumer {
      bool await_ready() const noexcept { return false; }
      std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type> self) noexcept {
        return self.promise().consumer;
      }
      void await_resume() const noexcept {}
    };
    BackToTheConsumer yield_value(T value) {
      current.emplace(std::move(value));
      return {};
    }
    BackToTheConsumer final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { error = std::current_exception(); }
  };

  AsyncGenerator(AsyncGenerator&& other) noexcept
      : coroutine_(std::exchange(other.coroutine_, {})) {}
  AsyncGenerator& operator=(AsyncGenerator&& other) noexcept {
    if (this != &other) {
      if (coroutine_) coroutine_.destroy();
      coroutine_ = std::exchange(other.coroutine_, {});
    }
    return *this;
  }
  AsyncGenerator(const AsyncGenerator&) = delete;
  AsyncGenerator& operator=(const AsyncGenerator&) = delete;
  ~AsyncGenerator() {
    if (coroutine_) coroutine_.destroy();
  }

  // co_await next(): the next value, or nullopt at the end.
  auto next() {
    struct NextAwaiter {
      std::coroutine_handle<promise_type> generator;
      bool await_ready() const noexcept { return !generator || generator.done(); }
      std::coroutine_handle<> await_suspend(std::coroutine_handle<> consumer) noexcept {
        generator.promise().consumer = consumer;
        generator.promise().current.reset();
        return generator;  // run it up to its next co_yield (or its end)
      }
      std::optional<T> await_resume() {
        if (!generator) return std::nullopt;
        if (auto error = std::exchange(generator.promise().error, nullptr)) {
          std::rethrow_exception(error);
        }
        if (generator.done()) return std::nullopt;
        return std::move(generator.promise().current);
      }
    };
    return NextAwaiter{coroutine_};
  }

 private:
  explicit AsyncGenerator(std::coroutine_handle<promise_type> coroutine) noexcept
      : coroutine_(coroutine) {}
  std::coroutine_handle<promise_type> coroutine_;
};

}  // namespace coro
