#include "event_loop.hpp"

#include <stdexcept>

#include <course/not_implemented.hpp>

namespace coro {

// TODO(7.2): the loop running on this thread, for current() (a thread_local pointer).

EventLoop::~EventLoop() {
  // TODO(7.2): destroy the drivers of tasks that never ended (their locals' destructors run).
  course::report_not_implemented("7.2", "EventLoop::~EventLoop");
}

EventLoop& EventLoop::current() {
  // TODO(7.2): this thread's running loop; a std::logic_error when there is none.
  throw course::NotImplemented("7.2", "EventLoop::current");
}

void EventLoop::schedule([[maybe_unused]] std::coroutine_handle<> coroutine) {
  // TODO(7.2): to the back of the ready queue.
  throw course::NotImplemented("7.2", "EventLoop::schedule");
}

void EventLoop::schedule_at([[maybe_unused]] Clock::time_point when,
                            [[maybe_unused]] std::coroutine_handle<> coroutine) {
  // TODO(7.2): a timer: (when, the order it was set in) -> coroutine.
  throw course::NotImplemented("7.2", "EventLoop::schedule_at");
}

void EventLoop::adopt([[maybe_unused]] std::coroutine_handle<> driver) {
  // TODO(7.2): keep the driver (destroying those that have ended).
  throw course::NotImplemented("7.2", "EventLoop::adopt");
}

void EventLoop::run_until([[maybe_unused]] const std::function<bool()>& finished) {
  // TODO(7.2): be this thread's running loop (until run_until is left, however); until
  // finished(): move due timers to the ready queue, resume the first ready coroutine; with none
  // ready, wait through clock_ for the first timer; with no timer either, a std::runtime_error.
  throw course::NotImplemented("7.2", "EventLoop::run_until");
}

}  // namespace coro
