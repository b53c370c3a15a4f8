// Exercise 8.5: run a task on a libuv loop until it is done.
#pragma once

#include <stdexcept>

#include <uv.h>

#include <course/not_implemented.hpp>

#include "loop.hpp"
#include "task.hpp"

namespace uvx {

// Exercise 8.5 — asyncio's run_until_complete on libuv: starts `task`, then turns the loop
// (uv_run, UV_RUN_ONCE: one wait for events, and their callbacks) until the task is done; gives
// its value or rethrows its exception. If the loop runs out of work first — nothing active: no
// timer, no socket read, no request — nothing can ever resume the task: that is an error
// (std::logic_error), not a hang. Other handles may stay open after it (they are the caller's).
template <class T>
T run([[maybe_unused]] Loop& loop, [[maybe_unused]] Task<T> task) {
  // TODO(8.5): start the task; turn the loop once at a time (UV_RUN_ONCE) until the task is done;
  // if uv_run says nothing is left to do while the task is not done, throw std::logic_error
  // (saying so). Then the task's result.
  throw course::NotImplemented("8.5", "uvx::run");
}

}  // namespace uvx
