// Exercise 6.4: two-way generators — Python's send().
#pragma once

#include <coroutine>
#include <exception>
#include <optional>
#include <stdexcept>
#include <utility>

#include <course/not_implemented.hpp>

namespace generators {

// Exercise 6.4 — TwoWay<Out, In>: a coroutine that receives values of In and answers with
// values of Out:
//
//   TwoWay<int, int> running_total() {
//     int total = 0;
//     int x = co_yield total;            // primed: the first yield waits for the first send
//     for (;;) { total += x; x = co_yield total; }
//   }
//   auto total = running_total();
//   total.start();                       // Python's next(g) / g.send(None): run to the first yield
//   total.send(10);                      // 10
//   total.send(20);                      // 30
//
// send(v) resumes the body with v as the value of the co_yield it stopped at, and returns what
// it yields next — or std::nullopt once the body has ended, and at every send() after that.
// Sending before start(), or starting twice, is an error (std::logic_error), as sending a value
// to a just-started Python generator is a TypeError. An exception the body throws leaves the
// start() or send() that resumed it; the body has ended then.
template <class Out, class In>
class [[nodiscard]] TwoWay {
 public:
  struct promise_type {
    std::optional<Out> out;
    std::optional<In> in;
    std::exception_ptr error;

    TwoWay get_return_object() {
      // TODO(6.4): a TwoWay owning this coroutine.
      throw course::NotImplemented("6.4", "TwoWay::promise_type::get_return_object");
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }

    // co_yield value: hands `value` out, suspends, and gives back what send() brought in.
    auto yield_value([[maybe_unused]] Out value) noexcept {
      // TODO(6.4): keep `value` for start()/send() to return; the awaiter's await_resume gives
      // the co_yield expression its value: what send() brought in.
      struct Exchange {
        promise_type& promise;
        bool await_ready() const noexcept { return false; }
        void await_suspend(std::coroutine_handle<>) const noexcept {}
        In await_resume() const {
          throw course::NotImplemented("6.4", "TwoWay: the value of co_yield");
        }
      };
      return Exchange{*this};
    }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { error = std::current_exception(); }
  };

  TwoWay(TwoWay&& other) noexcept : coroutine_(std::exchange(other.coroutine_, {})) {}
  TwoWay& operator=(TwoWay&& other) noexcept {
    if (this != &other) {
      if (coroutine_) coroutine_.destroy();
      coroutine_ = std::exchange(other.coroutine_, {});
    }
    return *this;
  }
  TwoWay(const TwoWay&) = delete;
  TwoWay& operator=(const TwoWay&) = delete;
  ~TwoWay() {
    if (coroutine_) coroutine_.destroy();
  }

  // Runs the body to its first co_yield and returns what it yields (Python's first next()).
  std::optional<Out> start() {
    // TODO(6.4): run the body to its first co_yield (once).
    throw course::NotImplemented("6.4", "TwoWay::start");
  }

  std::optional<Out> send([[maybe_unused]] In value) {
    // TODO(6.4): hand `value` to the suspended co_yield, resume, return what comes next.
    throw course::NotImplemented("6.4", "TwoWay::send");
  }

 private:
  explicit TwoWay(std::coroutine_handle<promise_type> coroutine) : coroutine_(coroutine) {}

  std::coroutine_handle<promise_type> coroutine_;
  // TODO(6.4): whether start() was called.
};

}  // namespace generators
