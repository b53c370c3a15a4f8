// Exercise 6.6: tasks as generators, taking turns on one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <queue>
#include <variant>
#include <vector>

#include <course/loop_clock.hpp>

#include "generator.hpp"

namespace generators {

// What a task yields to the scheduler: "let the others run" or "wake me in `duration`".
struct Pass {};
struct SleepFor {
  course::LoopClock::duration duration;
};
using Request = std::variant<Pass, SleepFor>;

// A task is a generator of requests: each co_yield gives the CPU back to the scheduler.
using Task = Generator<Request>;

// Exercise 6.6 — RoundRobin: runs tasks in turn, one step each (up to the task's next
// co_yield), on the thread that calls run().
//  - A task that yields Pass goes to the back of the queue of ready tasks.
//  - A task that yields SleepFor{d} is parked until the clock reads now + d, then is ready again
//    (tasks whose times come together wake in the order they went to sleep).
//  - With no task ready, run() waits through the clock until the first sleeper's time.
//  - run() returns when every task has ended. A task's exception leaves run().
class RoundRobin {
 public:
  explicit RoundRobin(course::LoopClock& clock = course::steady_loop_clock()) : clock_(clock) {}

  void spawn(Task task);
  void run();

  // The clock the scheduler reads and waits on (given).
  [[nodiscard]] course::LoopClock& clock() const { return clock_; }

 private:
  struct Sleeper {
    course::LoopClock::time_point wake_at;
    std::uint64_t order;
    Task* task;
    bool operator>(const Sleeper& other) const {
      return wake_at != other.wake_at ? wake_at > other.wake_at : order > other.order;
    }
  };

  course::LoopClock& clock_;
  std::deque<Task> tasks_;  // owns every task; deque: adding one moves no other
  std::deque<Task*> ready_;
  std::priority_queue<Sleeper, std::vector<Sleeper>, std::greater<>> sleeping_;
  std::uint64_t sleeps_so_far_ = 0;
};

}  // namespace generators
