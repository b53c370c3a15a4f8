// Exercise 8.5: tasks that run on their own, owned by a group.
#pragma once

#include <cstddef>
#include <exception>
#include <functional>
#include <vector>

#include "task.hpp"

namespace uvx {

// Exercise 8.5 — asyncio's create_task with an owner: spawn() sets a task going at once (it runs
// until it first waits) and the group keeps it while it runs — a server spawns one per
// connection. An exception that leaves a spawned task goes to `on_error` when the task ends
// (default: printed to stderr). Destroying the group — or cancel() — destroys the tasks still
// running: each is cancelled where it waits, its awaiters letting go of libuv.
class TaskGroup {
 public:
  using ErrorHandler = std::function<void(std::exception_ptr)>;

  explicit TaskGroup(ErrorHandler on_error = print_error);
  TaskGroup(const TaskGroup&) = delete;  // its tasks point back here
  TaskGroup& operator=(const TaskGroup&) = delete;
  ~TaskGroup() = default;  // tasks_ goes: every task still running is cancelled

  void spawn(Task<void> task);
  // Tasks spawned and not done yet.
  [[nodiscard]] std::size_t running() const noexcept { return spawned_ - finished_; }
  void cancel();

  static void print_error(std::exception_ptr error);

 private:
  Task<void> watched(Task<void> task);

  ErrorHandler on_error_;
  std::vector<Task<void>> tasks_;  // the done ones are dropped at the next spawn
  std::size_t spawned_ = 0;
  std::size_t finished_ = 0;
};

}  // namespace uvx
