#include "event_loop.hpp"

#include <stdexcept>

#include <course/not_implemented.hpp>

namespace coro {

// TODO(7.2): the loop running on this thread, for current() (a thread_local pointer).

EventLoop::~EventLoop() {
  // TODO(7.6): first wait until every post expected from another thread has come (the work
  // writes into frames that wait for it).
  // TODO(7.2): destroy the drivers of tasks that never ended (their locals' destructors run).
  course::report_not_implemented("7.2", "EventLoop::~EventLoop");
}

EventLoop& EventLoop::current() {
  // TODO(7.2): this thread's running loop; a std::logic_error when there is none.
  throw course::NotImplemented("7.2", "EventLoop::current");
}

void EventLoop::schedule([[maybe_unused]] Resumption resumption) {
  // TODO(7.2): to the back of the ready queue.
  throw course::NotImplemented("7.2", "EventLoop::schedule");
}

EventLoop::TimerId EventLoop::schedule_at([[maybe_unused]] Clock::time_point when,
                                          [[maybe_unused]] Resumption resumption) {
  // TODO(7.2): a timer, keyed by (when, the order it was set in).
  throw course::NotImplemented("7.2", "EventLoop::schedule_at");
}

bool EventLoop::cancel_timer([[maybe_unused]] TimerId timer) {
  // TODO(7.4): remove the timer; whether it was still set.
  throw course::NotImplemented("7.4", "EventLoop::cancel_timer");
}

void EventLoop::expect_threadsafe_post() {
  // TODO(7.6): one more post expected (under the mutex).
  throw course::NotImplemented("7.6", "EventLoop::expect_threadsafe_post");
}

void EventLoop::post_threadsafe([[maybe_unused]] Resumption resumption) {
  // TODO(7.6): from any thread: add it to posted_ under the mutex, and wake the loop — before
  // the lock is released: after it, the loop may take the post, end and be destroyed.
  throw course::NotImplemented("7.6", "EventLoop::post_threadsafe");
}

void EventLoop::adopt([[maybe_unused]] std::coroutine_handle<> driver) {
  // TODO(7.2): keep the driver's frame address in drivers_.
  throw course::NotImplemented("7.2", "EventLoop::adopt");
}

void EventLoop::forget([[maybe_unused]] std::coroutine_handle<> driver) noexcept {
  // TODO(7.2): a driver that ended, and destroys itself, leaves drivers_.
  course::report_not_implemented("7.2", "EventLoop::forget");
}

void EventLoop::run_until([[maybe_unused]] const std::function<bool()>& finished) {
  // TODO(7.2): be this thread's running loop (until run_until is left, however); until
  // finished(): move due timers to the ready queue and resume the first ready coroutine, with
  // running_task_ set to its task; with none ready, wait through clock_ for the first timer;
  // with no timer either, a std::runtime_error.
  // TODO(7.6): take what other threads posted first; decide whether to wait under the mutex
  // (a post between the look and the wait would be lost); with no timer but posts expected,
  // wait on posted_one_ for one.
  throw course::NotImplemented("7.2", "EventLoop::run_until");
}

}  // namespace coro
