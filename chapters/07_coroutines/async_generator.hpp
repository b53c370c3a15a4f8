// Exercise 7.5: async generators — values that take waiting to produce.
#pragma once

#include <coroutine>
#include <exception>
#include <optional>
#include <stdexcept>
#include <utility>

#include <course/not_implemented.hpp>

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

    AsyncGenerator get_return_object() {
      // TODO(7.5): an AsyncGenerator owning this coroutine.
      throw course::NotImplemented("7.5", "AsyncGenerator::promise_type::get_return_object");
    }
    std::suspend_always initial_suspend() noexcept { return {}; }

    // co_yield and the end both hand control back to the consumer, by symmetric transfer.
    struct BackToTheConsumer {
      bool await_ready() const noexcept { return false; }
      std::coroutine_handle<> await_suspend(
          [[maybe_unused]] std::coroutine_handle<promise_type> self) noexcept {
        // TODO(7.5): back to the consumer, by symmetric transfer.
        course::report_not_implemented("7.5", "AsyncGenerator: back to the consumer");
        return std::noop_coroutine();
      }
      void await_resume() const noexcept {}
    };
    BackToTheConsumer yield_value(T value) {
      current.emplace(std::move(value));
      return {};
    }
    BackToTheConsumer final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept {
      // TODO(7.5): keep the exception for the consumer.
      course::report_not_implemented("7.5", "AsyncGenerator::promise_type::unhandled_exception");
    }
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
      bool await_ready() const {
        // TODO(7.5): ready (nothing to run) without a frame, or once the generator has ended.
        throw course::NotImplemented("7.5", "AsyncGenerator::next: await_ready");
      }
      std::coroutine_handle<> await_suspend([[maybe_unused]] std::coroutine_handle<> consumer) {
        // TODO(7.5): remember the consumer, forget the last value, run the generator up to its
        // next co_yield or its end (by returning its handle).
        throw course::NotImplemented("7.5", "AsyncGenerator::next: await_suspend");
      }
      std::optional<T> await_resume() {
        // TODO(7.5): rethrow its exception (once); nullopt at the end; else the value.
        throw course::NotImplemented("7.5", "AsyncGenerator::next: await_resume");
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
