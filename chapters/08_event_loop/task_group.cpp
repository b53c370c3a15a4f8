#include "task_group.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <utility>

#include <course/not_implemented.hpp>

namespace uvx {

TaskGroup::TaskGroup(ErrorHandler on_error) : on_error_(std::move(on_error)) {}

void TaskGroup::spawn([[maybe_unused]] Task<void> task) {
  // TODO(8.5): drop the tasks that are done (std::erase_if); count the spawn; keep
  // watched(task) in tasks_, and start it.
  throw course::NotImplemented("8.5", "TaskGroup::spawn");
}

void TaskGroup::cancel() {
  // TODO(8.5): every task still running is destroyed (so cancelled); none is running after.
  // (Destroying one runs destructors that might touch the group: empty tasks_ first.)
  throw course::NotImplemented("8.5", "TaskGroup::cancel");
}

Task<void> TaskGroup::watched([[maybe_unused]] Task<void> task) {
  // TODO(8.5): a coroutine: co_await the task; an exception goes to on_error_; either way one
  // more has finished.
  throw course::NotImplemented("8.5", "TaskGroup::watched");
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
