// Exercise 7.8 (bonus): green threads — stackful coroutines on ucontext, like greenlets.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <unordered_map>
#include <utility>

#include <ucontext.h>

#include <course/loop_clock.hpp>

namespace green {

// Exercise 7.8 — a scheduler of green threads on the thread that calls run(). Each green thread
// is an ordinary function running on a stack of its own; green::sleep_for, called anywhere in
// it — however deep in its calls — saves its registers and stack pointer (swapcontext) and
// switches to the scheduler, which switches to another. Nothing is marked async, nothing is
// awaited: the function looks blocking, as with gevent, whose monkeypatched time.sleep does
// exactly this. The price is the stack: reserved whole for every green thread, used or not.
class Scheduler {
 public:
  static constexpr std::size_t kDefaultStackBytes = 64 * 1024;

  explicit Scheduler(course::LoopClock& clock = course::steady_loop_clock(),
                     std::size_t stack_bytes = kDefaultStackBytes)
      : clock_(clock), stack_bytes_(stack_bytes) {}
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;
  ~Scheduler() = default;

  // A green thread that will run `body` on a stack of its own, when run() gets to it (in the
  // order spawned). May be called from inside a green thread too.
  void spawn(std::function<void()> body);

  // Runs every green thread, switching whenever one sleeps or yields, until all have ended,
  // then rethrows the first exception that left one (the others still ran to their end). While
  // all sleep, the thread waits through the clock for the first to wake.
  void run();

  // The scheduler whose green thread is running on this thread, or null.
  [[nodiscard]] static Scheduler* current() noexcept;

  // For sleep_for and yield, from the running green thread: park it until `when` (or at the
  // back of the ready queue) and switch to the scheduler; it returns when the thread runs again.
  void park_until(course::LoopClock::time_point when);
  void park_ready();

  [[nodiscard]] course::LoopClock& clock() const noexcept { return clock_; }
  // How many green threads have a stack now: every one spawned and not yet ended.
  [[nodiscard]] std::size_t stacks_allocated() const noexcept { return threads_.size(); }

 private:
  struct GreenThread {
    std::function<void()> body;
    std::unique_ptr<std::byte[]> stack;
    ucontext_t context{};
    bool ended = false;
    std::exception_ptr error;
  };

  // Where every green thread starts (makecontext passes only ints: the pointer comes in two).
  static void trampoline(unsigned high, unsigned low);
  // From the scheduler to `thread` until it parks or ends; from the running thread back.
  void switch_to(GreenThread& thread);
  void switch_to_scheduler();
  // Frees the stack of a green thread that has ended (never while running on it).
  void bury(GreenThread& thread);

  course::LoopClock& clock_;
  [[maybe_unused]] std::size_t stack_bytes_;  // (until 7.8 uses them)
  // Alive: spawned, not yet ended. By address, so that an ended one leaves in O(1).
  std::unordered_map<const GreenThread*, std::unique_ptr<GreenThread>> threads_;
  std::deque<GreenThread*> ready_;
  // Sleeping threads by (wake-up time, order): equal times wake in the order they slept.
  std::map<std::pair<course::LoopClock::time_point, std::uint64_t>, GreenThread*> sleeping_;
  [[maybe_unused]] std::uint64_t sleeps_so_far_ = 0;
  [[maybe_unused]] GreenThread* running_ = nullptr;
  [[maybe_unused]] ucontext_t scheduler_context_{};
  std::exception_ptr first_error_;
};

// gevent's monkeypatched sleep: inside a green thread it parks the thread for `how_long` and the
// others run meanwhile; anywhere else it is std::this_thread::sleep_for.
void sleep_for(std::chrono::nanoseconds how_long);

// Inside a green thread: let the other ready ones run first. Anywhere else: nothing.
void yield();

}  // namespace green
