#include "task_group.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <utility>

namespace uvx {

TaskGroup::TaskGroup(ErrorHandler on_error) : on_error_(std::move(on_error)) {}

void TaskGroup::spawn(Task<void> task) {
  // The frames of tasks that ended are freed here, not when they end: a task cannot free its own
  // frame while it is still running in it.
  std::erase_if(tasks_, [](const Task<void>& spawned) { return spawned.done(); });
  ++spawned_;
  Task<void>& added = tasks_.emplace_back(watched(std::move(task)));
  added.start();
}

void TaskGroup::cancel() {
  // Moved out first: a cancelled task's destructors run while `tasks_` is being cleared
  // otherwise, and one might spawn.
  std::vector<Task<void>> cancelled = std::move(tasks_);
  finished_ = spawned_;
  cancelled.clear();
}

Task<void> TaskGroup::watched(Task<void> task) {
  try {
    co_await task;
  } catch (...) {
    on_error_(std::current_exception());
  }
  ++finished_;
}

void TaskGroup::print_error(std::exception_ptr error) {
  try {
    std::rethrow_exception(std::move(error));
  } catch (const std::exception& thrown) {
    std::fprintf(stderr, "a spawned task failed: %s\n", thrown.what());
  } catch (...) {
    std::fprintf(stderr, "a spawned task failed with an exception that is no std::exception\n");
  }
}

}  // namespace uvx
