#include "green_threads.hpp"

#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <course/not_implemented.hpp>

namespace green {
namespace {

thread_local Scheduler* running_scheduler = nullptr;

}  // namespace

Scheduler* Scheduler::current() noexcept {
  return running_scheduler;
}

void Scheduler::spawn([[maybe_unused]] std::function<void()> body) {
  // TODO(7.8): a GreenThread with the body and a stack of stack_bytes_ (make_unique_for_overwrite:
  // no need to zero it); getcontext, then its uc_stack, and makecontext to start it in
  // trampoline — whose two int arguments carry the thread's address, split in halves. At the
  // back of the ready queue; owned by threads_.
  throw course::NotImplemented("7.8", "Scheduler::spawn");
}

void Scheduler::trampoline([[maybe_unused]] unsigned high, [[maybe_unused]] unsigned low) {
  // TODO(7.8): put the address together again; run the body, keeping any exception (none may
  // leave this function: nothing is below it on the stack); mark the thread ended and switch to
  // the scheduler, for good.
  throw course::NotImplemented("7.8", "Scheduler::trampoline");
}

void Scheduler::switch_to([[maybe_unused]] GreenThread& thread) {
  // TODO(7.8): running_ is `thread` while it runs; swapcontext from the scheduler's context to
  // the thread's — it returns when the thread switches back.
  throw course::NotImplemented("7.8", "Scheduler::switch_to");
}

void Scheduler::switch_to_scheduler() {
  // TODO(7.8): swapcontext from the running thread's context to the scheduler's.
  throw course::NotImplemented("7.8", "Scheduler::switch_to_scheduler");
}

void Scheduler::park_until([[maybe_unused]] course::LoopClock::time_point when) {
  // TODO(7.8): the running thread among the sleeping ones, keyed (when, order); switch away.
  throw course::NotImplemented("7.8", "Scheduler::park_until");
}

void Scheduler::park_ready() {
  // TODO(7.8): the running thread at the back of the ready queue; switch away.
  throw course::NotImplemented("7.8", "Scheduler::park_ready");
}

void Scheduler::bury([[maybe_unused]] GreenThread& thread) {
  // TODO(7.8): keep its exception if it is the first; free it, stack and all.
  throw course::NotImplemented("7.8", "Scheduler::bury");
}

void Scheduler::run() {
  // TODO(7.8): refuse to nest (std::logic_error); be this thread's running scheduler until run()
  // is left, however; while any thread is alive: wake the sleepers that are due, switch to the
  // first ready thread (and bury it once back, if it ended), or — none ready — wait through
  // clock_ for the first sleeper. Then rethrow the first exception, if any.
  throw course::NotImplemented("7.8", "Scheduler::run");
}

void sleep_for([[maybe_unused]] std::chrono::nanoseconds how_long) {
  // TODO(7.8): inside a green thread (Scheduler::current()), park it until now + how_long on the
  // scheduler's clock; anywhere else, std::this_thread::sleep_for.
  throw course::NotImplemented("7.8", "green::sleep_for");
}

void yield() {
  // TODO(7.8): inside a green thread, park it at the back of the ready queue.
  throw course::NotImplemented("7.8", "green::yield");
}

}  // namespace green
