#include "scheduler.hpp"

#include <cstdio>
#include <exception>
#include <utility>

#include <course/exception_message.hpp>
#include <course/not_implemented.hpp>

namespace callbacks {

namespace {

// The default exception handler, like asyncio's: say what went wrong, and go on.
void print_exception(const std::exception_ptr& error) {
  std::fprintf(stderr, "exception in a callback: %s\n", course::exception_message(error).c_str());
}

}  // namespace

bool Handle::cancel() {
  // TODO(5.2): a callback that has not run yet is marked cancelled (and lets go of its
  // captures); anything else — run, running, cancelled, or no callback at all — returns false.
  throw course::NotImplemented("5.2", "Handle::cancel");
}

bool Handle::pending() const {
  // TODO(5.2)
  throw course::NotImplemented("5.2", "Handle::pending");
}

Scheduler::Scheduler(Clock& clock) : clock_(clock), exception_handler_(print_exception) {}

// The loop reads the time only through its clock.
TimePoint Scheduler::now() const {
  return clock_.now();
}

Handle Scheduler::call_soon([[maybe_unused]] Callback callback) {
  // TODO(5.2): due now.
  throw course::NotImplemented("5.2", "Scheduler::call_soon");
}

Handle Scheduler::call_later([[maybe_unused]] Duration delay, [[maybe_unused]] Callback callback) {
  // TODO(5.2): due `delay` after this call.
  throw course::NotImplemented("5.2", "Scheduler::call_later");
}

Handle Scheduler::call_at([[maybe_unused]] TimePoint when, [[maybe_unused]] Callback callback) {
  // TODO(5.2): put it in the queue, in deadline order; return a Handle that shares it.
  throw course::NotImplemented("5.2", "Scheduler::call_at");
}

void Scheduler::set_exception_handler(ExceptionHandler handler) {
  exception_handler_ = std::move(handler);
}

void Scheduler::call_soon_threadsafe([[maybe_unused]] Callback callback) {
  // TODO(5.6): hand the callback over under a lock, then wake the loop.
  throw course::NotImplemented("5.6", "Scheduler::call_soon_threadsafe");
}

void Scheduler::run() {
  // TODO(5.2): until nothing is scheduled: run what is due, one callback at a time (an
  // exception goes to exception_handler_), or wait through clock_ until the next deadline.
  // TODO(5.6): take in what other threads posted; wait so that a post wakes the loop.
  throw course::NotImplemented("5.2", "Scheduler::run");
}

}  // namespace callbacks
