#include "timer.hpp"

#include <utility>

#include <course/not_implemented.hpp>

#include "uv_error.hpp"

namespace uvx {

Timer::Timer(Loop& loop) : handle_(loop, uv_timer_init) {
  // TODO(8.1): the handle's data leads back to this Timer (for on_timer).
  course::report_not_implemented("8.1", "Timer::Timer");
}

void Timer::start([[maybe_unused]] std::chrono::milliseconds timeout,
                  [[maybe_unused]] std::chrono::milliseconds repeat,
                  [[maybe_unused]] std::function<void()> on_tick) {
  // TODO(8.1): keep on_tick; uv_timer_start with on_timer, the timeout and the repeat in ms
  // (checked: uvx::check).
  throw course::NotImplemented("8.1", "Timer::start");
}

void Timer::stop() {
  // TODO(8.1): uv_timer_stop (checked).
  throw course::NotImplemented("8.1", "Timer::stop");
}

void Timer::on_timer([[maybe_unused]] uv_timer_t* timer) {
  // TODO(8.1): from the handle's data to the Timer; call a copy of its callback (the callback
  // may destroy the Timer, and with it the original).
  course::report_not_implemented("8.1", "Timer::on_timer");
}

}  // namespace uvx
