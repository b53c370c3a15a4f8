#include "timer.hpp"

#include <utility>

#include "uv_error.hpp"

namespace uvx {

Timer::Timer(Loop& loop) : handle_(loop, uv_timer_init) {
  handle_.get()->data = this;
}

void Timer::start(std::chrono::milliseconds timeout, std::chrono::milliseconds repeat,
                  std::function<void()> on_tick) {
  on_tick_ = std::move(on_tick);
  check(uv_timer_start(handle_.get(), &Timer::on_timer, static_cast<std::uint64_t>(timeout.count()),
                       static_cast<std::uint64_t>(repeat.count())),
        "uv_timer_start");
}

void Timer::stop() {
  check(uv_timer_stop(handle_.get()), "uv_timer_stop");
}

void Timer::on_timer(uv_timer_t* timer) {
  auto& self = *static_cast<Timer*>(timer->data);
  // A copy: the callback may start the timer again with another callback, or stop it.
  const std::function<void()> on_tick = self.on_tick_;
  on_tick();
}

}  // namespace uvx
