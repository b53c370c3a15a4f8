#include "sleep.hpp"

#include <course/not_implemented.hpp>

#include "uv_error.hpp"

namespace uvx {

Sleep::Sleep(Loop& loop, std::chrono::milliseconds duration)
    : timer_(loop, uv_timer_init), duration_(duration) {}

void Sleep::await_suspend([[maybe_unused]] std::coroutine_handle<> waiting) {
  // TODO(8.5): remember who waits; the timer's data leads back to this Sleep; start the timer
  // (one shot, duration_) with on_timer.
  throw course::NotImplemented("8.5", "Sleep::await_suspend");
}

void Sleep::on_timer([[maybe_unused]] uv_timer_t* timer) {
  // TODO(8.5): resume the coroutine that waits. (Can `this` be gone by now? Who closes the
  // timer when a cancelled task destroys its Sleep?)
  course::report_not_implemented("8.5", "Sleep::on_timer");
}

}  // namespace uvx
