#include "sleep.hpp"

#include "uv_error.hpp"

namespace uvx {

Sleep::Sleep(Loop& loop, std::chrono::milliseconds duration)
    : timer_(loop, uv_timer_init), duration_(duration) {}

void Sleep::await_suspend(std::coroutine_handle<> waiting) {
  waiting_ = waiting;
  timer_.get()->data = this;
  check(uv_timer_start(timer_.get(), &Sleep::on_timer,
                       static_cast<std::uint64_t>(duration_.count()), 0),
        "uv_timer_start");
}

void Sleep::on_timer(uv_timer_t* timer) {
  // Only a timer still open calls back, and the Handle closes it when the Sleep goes: `this` is
  // alive here. The resumed coroutine may destroy the Sleep (it goes on past the co_await):
  // nothing of it is touched after resume().
  static_cast<Sleep*>(timer->data)->waiting_.resume();
}

}  // namespace uvx
